using Microsoft.ML.Autoencoders.Training.Data;
using Microsoft.ML.Autoencoders.Export;
using Microsoft.ML.Autoencoders.Lifetime;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Microsoft.ML.Autoencoders;

/// <summary>
/// Bulk encoding: runs the trained encoder through ONNX Runtime on batches of rows instead of one row at a time.
/// ML.NET's OnnxTransformer, which <see cref="AutoencoderTransformer.Transform"/> uses so that models stay savable,
/// calls ONNX Runtime once per row; for building a search index over many rows this is several times faster
/// (see BENCHMARKS.md). Get one from <see cref="AutoencoderTransformer.CreateBatchEncoder"/>; safe to use from
/// several threads; dispose it to release the ONNX Runtime session (also while other threads encode: their calls end first,
/// and later ones throw <see cref="ObjectDisposedException"/>).
/// </summary>
public sealed class AutoencoderBatchEncoder : IDisposable
{
    private readonly InferenceSession _session;
    private readonly DisposalGuard _guard = new(nameof(AutoencoderBatchEncoder));

    internal AutoencoderBatchEncoder(byte[] onnxModel, int inputSize, int codeSize)
    {
        using var options = new SessionOptions { IntraOpNumThreads = Environment.ProcessorCount };
        _session = new InferenceSession(onnxModel, options);
        InputSize = inputSize;
        CodeSize = codeSize;
    }

    /// <summary>Length of an input row.</summary>
    public int InputSize { get; }

    /// <summary>Length of a code.</summary>
    public int CodeSize { get; }

    /// <summary>The codes of <paramref name="rows"/> (each of <see cref="InputSize"/> finite values), <paramref name="batchSize"/> rows per ONNX Runtime call.</summary>
    public float[][] Encode(IReadOnlyList<float[]> rows, int batchSize = 1024)
    {
        ArgumentNullException.ThrowIfNull(rows);
        if (batchSize < 1) throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, "batchSize must be at least 1.");
        using var _ = _guard.Enter();
        var codes = new float[rows.Count][];
        for (int start = 0; start < rows.Count; start += batchSize)
        {
            int n = Math.Min(batchSize, rows.Count - start);
            var input = new float[n * InputSize];
            for (int i = 0; i < n; i++)
            {
                var row = rows[start + i] ?? throw new ArgumentException($"Row {start + i} is null.", nameof(rows));
                if (row.Length != InputSize)
                    throw new ArgumentException($"Row {start + i} has {row.Length} values; the encoder reads {InputSize}.", nameof(rows));
                if (!VectorColumn.AllFinite(row)) throw new ArgumentException($"Row {start + i} holds NaN or infinity.", nameof(rows));
                row.CopyTo(input, i * InputSize);
            }
            using var results = _session.Run([NamedOnnxValue.CreateFromTensor(AutoencoderOnnxExport.BatchInput, new DenseTensor<float>(input, [n, InputSize]))]);
            var output = results.Single().AsTensor<float>().ToArray();
            for (int i = 0; i < n; i++) codes[start + i] = output.AsSpan(i * CodeSize, CodeSize).ToArray();
        }
        return codes;
    }

    /// <summary>The codes of every row of <paramref name="data"/>'s column <paramref name="column"/>.</summary>
    public float[][] Encode(IDataView data, string column, int batchSize = 1024)
    {
        ArgumentNullException.ThrowIfNull(data);
        _guard.ThrowIfDisposed();
        VectorColumn.RequireSize(data.Schema, column, InputSize);
        return Encode(VectorColumn.ReadRows(data, column), batchSize);
    }

    /// <summary>Releases the ONNX Runtime session once the calls in flight have ended; later calls throw <see cref="ObjectDisposedException"/>.</summary>
    public void Dispose()
    {
        if (_guard.BeginDispose()) _session.Dispose();
    }
}
