using Microsoft.ML.Autoencoders.Files;
using Microsoft.ML.Autoencoders.Export;
using Microsoft.ML.Autoencoders.Lifetime;
using Microsoft.ML.Autoencoders.Training.Data;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms.Onnx;

namespace Microsoft.ML.Autoencoders;

/// <summary>
/// A trained autoencoder of any family as an ML.NET transformer: adds the code column (and, when configured, the
/// reconstruction and its error, and the family's head columns) to any data with the input column. Scoring runs the exported ONNX graph
/// through ML.NET's <see cref="OnnxTransformer"/>, and <c>mlContext.Model.Save</c> stores that graph inside
/// the model zip, so <c>mlContext.Model.Load</c> needs nothing from this package (it returns the
/// OnnxTransformer with the same columns and outputs, followed by the head's stock transformers when the family has a head). Immutable and safe to use from several threads.
/// Safe to dispose while other threads score: their next read throws <see cref="ObjectDisposedException"/>, and
/// <see cref="Dispose"/> waits for the reads in flight before it releases the ONNX Runtime session.
/// </summary>
public class AutoencoderTransformer : ITransformer, IDisposable
{
    private readonly AutoencoderModel _model;
    private readonly DisposalGuard _guard;
    private ITransformer _scorer => _model.Scorer;
    private AutoencoderColumns _columns => _model.Columns;

    internal AutoencoderTransformer(AutoencoderModel model)
    {
        _model = model;
        _guard = new DisposalGuard(GetType().Name);
        InputSize = model.InputSize;
        CodeSize = model.CodeSize;
        ParameterCount = model.ParameterCount;
        Loss = model.Loss;
        Seed = model.Seed;
        TrainingHistory = model.History;
    }

    /// <summary>Name of the input column.</summary>
    public string InputColumnName => _columns.Input;

    /// <summary>Name of the code column (<c>vector&lt;float&gt;[CodeSize]</c>; a stack's top hidden layer).</summary>
    public string CodeColumnName => _columns.Code;

    /// <summary>Name of the reconstruction column, or null when it is not produced.</summary>
    public string? ReconstructionColumnName => _columns.Reconstruction;

    /// <summary>Name of the reconstruction-error column (squared error summed over the row's values), or null.</summary>
    public string? ReconstructionErrorColumnName => _columns.ReconstructionError;

    /// <summary>Length of an input row.</summary>
    public int InputSize { get; }

    /// <summary>Length of the code.</summary>
    public int CodeSize { get; }

    /// <summary>Trainable parameters of the whole network (encoder and decoder).</summary>
    public long ParameterCount { get; }

    /// <summary>The reconstruction loss used in training (never <see cref="ReconstructionLoss.Auto"/>).</summary>
    public ReconstructionLoss Loss { get; }

    /// <summary>The seed training used: pass it as <c>AutoencoderOptions.Seed</c> to reproduce the codes.</summary>
    public int Seed { get; }

    /// <summary>One entry per trained epoch: losses, speed, learning rate.</summary>
    public IReadOnlyList<EpochReport> TrainingHistory { get; }

    /// <summary>
    /// The first encoder layer's weights, one array per unit, each as long as an input row: the features the
    /// layer detects (for images, reshape each to the image size to see the "filters"). Not kept after Save/Load.
    /// </summary>
    public IReadOnlyList<float[]> GetFirstLayerFilters()
    {
        _guard.ThrowIfDisposed();
        return _model.FirstLayerFilters.Select(f => (float[])f.Clone()).ToArray();
    }

    /// <inheritdoc/>
    public bool IsRowToRowMapper => true;

    /// <inheritdoc/>
    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema)
    {
        CheckInput(inputSchema);
        using var _ = _guard.Enter();
        return _scorer.GetOutputSchema(inputSchema);
    }

    /// <inheritdoc/>
    public IRowToRowMapper GetRowToRowMapper(DataViewSchema inputSchema)
    {
        CheckInput(inputSchema);
        using var _ = _guard.Enter();
        return new GuardedRowToRowMapper(_scorer.GetRowToRowMapper(inputSchema), _guard);
    }

    /// <summary>
    /// Adds the output columns to <paramref name="input"/> (lazily, as a cursor reads them). The graph runs on blocks of
    /// 1,024 rows per ONNX Runtime call (a convolutional decoder's outputs: one row per call), with the same columns and
    /// values as row-by-row scoring. A row whose input holds NaN or ∞ gets NaN codes (and a NaN reconstruction error)
    /// rather than an error, as ML.NET's transforms propagate missing values; the other rows are unaffected.
    /// </summary>
    public IDataView Transform(IDataView input)
    {
        CheckInput(input.Schema);
        using var _ = _guard.Enter();
        return new GuardedDataView(_model.Transform(input), _guard);
    }

    /// <summary>Whether <see cref="Transform"/> scores blocks of rows (for tests and benchmarks).</summary>
    internal bool ScoresInBlocks(IDataView input) => _model.Batched?.Transform(input, _model.Scoring.Transformer.GetOutputSchema(input.Schema)) is not null;

    /// <summary>Saves the stock ML.NET transformers that score: the OnnxTransformer (which stores the ONNX graph in the model zip) and the family's head after it, if any.</summary>
    void ICanSaveModel.Save(ModelSaveContext ctx)
    {
        using var _ = _guard.Enter();
        _scorer.Save(ctx);
    }

    /// <summary>The ONNX model (protobuf bytes): input named after the input column, outputs after the output columns, one row per call.</summary>
    public byte[] GetOnnxModel()
    {
        _guard.ThrowIfDisposed();
        return (byte[])_model.Onnx.Clone();
    }

    /// <summary>
    /// Writes the ONNX model to a standalone <c>.onnx</c> file, usable from ONNX Runtime in any language.
    /// Writes to a temporary file first, so an existing file is replaced only by a complete new one.
    /// </summary>
    public void SaveOnnx(string path)
    {
        _guard.ThrowIfDisposed();
        AtomicFile.Write(path, "the ONNX model", stream => stream.Write(_model.Onnx));
    }

    /// <summary>Writes the ONNX model to a stream.</summary>
    public void SaveOnnx(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        _guard.ThrowIfDisposed();
        stream.Write(_model.Onnx);
    }

    /// <summary>
    /// An encoder that scores many rows per ONNX Runtime call (codes equal to the code column's), for bulk work such
    /// as building a search index (<c>CodeIndex</c>, in Microsoft.ML.Autoencoders.Search). Not kept after Save/Load: a reloaded model is ML.NET's OnnxTransformer.
    /// </summary>
    public AutoencoderBatchEncoder CreateBatchEncoder()
    {
        _guard.ThrowIfDisposed();
        return new(_model.BatchEncoder, InputSize, CodeSize);
    }

    /// <summary>
    /// Releases the ONNX Runtime session and deletes the private copy of the graph it was given, after the reads in flight
    /// on other threads have ended; any later use throws <see cref="ObjectDisposedException"/>. Calling it again does nothing.
    /// </summary>
    public void Dispose()
    {
        if (_guard.BeginDispose()) _model.Dispose();
    }

    private void CheckInput(DataViewSchema schema) => VectorColumn.RequireSize(schema, _columns.Input, InputSize);
}
