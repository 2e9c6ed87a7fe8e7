using Microsoft.ML.Data;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Microsoft.ML.Autoencoders.Export;

/// <summary>
/// Scores an exported autoencoder graph on blocks of rows through its batched twin (<see cref="BatchedGraph"/>) while
/// presenting exactly the columns ML.NET's OnnxTransformer presents, so <c>Transform</c> runs at batch speed. The view
/// reads its input with two cursors over the same rows: one runs ahead a block at a time and feeds ONNX Runtime, the other
/// serves the passed-through columns of the current row, so no column of any type has to be buffered. A consumer asking for
/// none of the outputs gets the input's rows untouched.
/// </summary>
internal sealed class BatchedScoring : IDisposable
{
    /// <summary>Rows per ONNX Runtime call (the benchmarks' raw batched forward uses the same).</summary>
    public const int BlockRows = 1024;

    private readonly InferenceSession _session;
    private readonly string _input;
    private readonly int _inputSize;
    private readonly Dictionary<string, int> _outputWidths;

    private BatchedScoring(InferenceSession session, string input, int inputSize, Dictionary<string, int> outputWidths)
    {
        _session = session;
        _input = input;
        _inputSize = inputSize;
        _outputWidths = outputWidths;
    }

    /// <summary>
    /// A batched scorer for the row graph <paramref name="onnx"/> when it is this package's and has a batched twin; null
    /// otherwise (the caller scores row by row).
    /// </summary>
    public static BatchedScoring? TryCreate(byte[] onnx, int? gpuDeviceId = null, bool fallbackToCpu = true)
    {
        if (BatchedGraph.FromRowGraph(onnx) is not { } batched) return null;
        InferenceSession? session = null;
        try
        {
            using var options = Options(gpuDeviceId, fallbackToCpu);
            session = new InferenceSession(batched, options);
            if (session.InputMetadata.Count != 1 || session.InputMetadata.Single().Value.Dimensions is not [_, int inputSize] || inputSize < 1)
                throw new InvalidDataException("the batched graph does not read one [N, n] input");
            var widths = new Dictionary<string, int>();
            foreach (var (name, meta) in session.OutputMetadata)
                widths[name] = meta.Dimensions is [_, int width] && width > 0 ? width : throw new InvalidDataException($"output '{name}' is not [N, n]");
            return new BatchedScoring(session, session.InputMetadata.Single().Key, inputSize, widths);
        }
        catch (Exception e) when (e is OnnxRuntimeException or InvalidDataException)
        {
            session?.Dispose();
            return null;
        }
    }

    private static SessionOptions Options(int? gpuDeviceId, bool fallbackToCpu)
    {
        if (gpuDeviceId is int device)
        {
            try { return SessionOptions.MakeSessionOptionWithCudaProvider(device); }
            catch (OnnxRuntimeException) when (fallbackToCpu) { }
        }
        return new SessionOptions { IntraOpNumThreads = Environment.ProcessorCount };
    }

    /// <summary>
    /// <paramref name="input"/> with the outputs added as <paramref name="outputSchema"/> (the OnnxTransformer's output
    /// schema for this input) lays them out: the input's columns first, then the outputs. Null when the schema is laid out
    /// otherwise (the caller scores row by row).
    /// </summary>
    public IDataView? Transform(IDataView input, DataViewSchema outputSchema)
    {
        int passed = input.Schema.Count;
        if (outputSchema.Count != passed + _outputWidths.Count) return null;
        for (int i = 0; i < passed; i++)
            if (outputSchema[i].Name != input.Schema[i].Name || !outputSchema[i].Type.Equals(input.Schema[i].Type)) return null;
        for (int i = passed; i < outputSchema.Count; i++)
            if (!_outputWidths.TryGetValue(outputSchema[i].Name, out int width) || outputSchema[i].Type is not VectorDataViewType { Size: var size } || size != width) return null;
        if (input.Schema.GetColumnOrNull(_input)?.Type is not VectorDataViewType { Size: var inputSize } inputType || inputType.ItemType != NumberDataViewType.Single || inputSize != _inputSize) return null;
        return new View(this, input, outputSchema);
    }

    public void Dispose() => _session.Dispose();

    /// <summary>Runs one block [rows, inputSize] and returns each requested output's values, row after row.</summary>
    private float[][] Run(float[] block, int rows, IReadOnlyList<string> outputs)
    {
        var inputs = new[] { NamedOnnxValue.CreateFromTensor(_input, new DenseTensor<float>(block.AsMemory(0, rows * _inputSize), [rows, _inputSize])) };
        using var results = _session.Run(inputs, outputs.ToArray());
        return results.Select(r => r.AsTensor<float>() is DenseTensor<float> dense ? dense.Buffer.ToArray() : r.AsTensor<float>().ToArray()).ToArray();
    }

    private sealed class View(BatchedScoring scoring, IDataView input, DataViewSchema schema) : IDataView
    {
        public bool CanShuffle => input.CanShuffle;
        public DataViewSchema Schema => schema;
        public long? GetRowCount() => input.GetRowCount();

        public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null)
        {
            var needed = columnsNeeded.Select(c => c.Index).ToHashSet();
            int passed = input.Schema.Count;
            var outputs = needed.Where(i => i >= passed).Order().ToArray();
            // Both input cursors must visit the same rows in the same order: shuffled ones get the same seed.
            int? seed = rand?.Next();
            var rows = input.GetRowCursor(needed.Where(i => i < passed).Select(i => input.Schema[i]), seed is int s1 ? new Random(s1) : null);
            var ahead = outputs.Length == 0 ? null : input.GetRowCursor([input.Schema[scoring._input]], seed is int s2 ? new Random(s2) : null);
            return new Cursor(scoring, schema, rows, ahead, outputs, passed);
        }

        public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null) => [GetRowCursor(columnsNeeded, rand)];
    }

    private sealed class Cursor : DataViewRowCursor
    {
        private readonly BatchedScoring _scoring;
        private readonly DataViewRowCursor _rows;
        private readonly DataViewRowCursor? _ahead;
        private readonly ValueGetter<VBuffer<float>>? _readInput;
        private readonly string[] _outputNames;
        private readonly int[] _outputColumns, _widths;
        private readonly int _passed;
        private readonly float[] _block;
        private float[][] _results = [];
        private int _blockRows, _inBlock = -1;
        private VBuffer<float> _row;

        public Cursor(BatchedScoring scoring, DataViewSchema schema, DataViewRowCursor rows, DataViewRowCursor? ahead, int[] outputColumns, int passed)
        {
            (_scoring, Schema, _rows, _ahead, _outputColumns, _passed) = (scoring, schema, rows, ahead, outputColumns, passed);
            _outputNames = outputColumns.Select(i => schema[i].Name).ToArray();
            _widths = _outputNames.Select(n => scoring._outputWidths[n]).ToArray();
            _block = ahead is null ? [] : new float[BlockRows * scoring._inputSize];
            _readInput = ahead?.GetGetter<VBuffer<float>>(ahead.Schema[scoring._input]);
        }

        public override DataViewSchema Schema { get; }
        public override long Position => _rows.Position;
        public override long Batch => _rows.Batch;
        public override ValueGetter<DataViewRowId> GetIdGetter() => _rows.GetIdGetter();
        public override bool IsColumnActive(DataViewSchema.Column column) =>
            column.Index < _passed ? _rows.IsColumnActive(_rows.Schema[column.Index]) : _outputColumns.Contains(column.Index);

        public override bool MoveNext()
        {
            if (!_rows.MoveNext()) return false;
            if (_ahead is not null && ++_inBlock >= _blockRows) ReadBlock();
            return true;
        }

        /// <summary>Reads up to a block of input rows ahead and scores them in one call.</summary>
        private void ReadBlock()
        {
            int n = _scoring._inputSize, rows = 0;
            while (rows < BlockRows && _ahead!.MoveNext())
            {
                _readInput!(ref _row);
                if (_row.Length != n) throw new InvalidOperationException($"Column '{_scoring._input}' has a row of {_row.Length} values; the autoencoder reads {n}.");
                _row.CopyTo(_block.AsSpan(rows * n, n));
                rows++;
            }
            if (rows == 0) throw new InvalidOperationException("The input ended before the rows being scored: the data view gave two cursors different rows.");
            _results = _scoring.Run(_block, rows, _outputNames);
            (_blockRows, _inBlock) = (rows, 0);
        }

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
        {
            if (column.Index < _passed) return _rows.GetGetter<TValue>(_rows.Schema[column.Index]);
            int k = Array.IndexOf(_outputColumns, column.Index);
            if (k < 0) throw new InvalidOperationException($"Column '{column.Name}' was not requested from this cursor.");
            if (typeof(TValue) != typeof(VBuffer<float>)) throw new InvalidOperationException($"Column '{column.Name}' holds VBuffer<float>, not {typeof(TValue).Name}.");
            int width = _widths[k];
            ValueGetter<VBuffer<float>> getter = (ref VBuffer<float> value) =>
            {
                var editor = VBufferEditor.Create(ref value, width);
                _results[k].AsSpan(_inBlock * width, width).CopyTo(editor.Values);
                value = editor.Commit();
            };
            return (ValueGetter<TValue>)(Delegate)getter;
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _rows.Dispose();
                _ahead?.Dispose();
            }
            base.Dispose(disposing);
        }
    }
}
