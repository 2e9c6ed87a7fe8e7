using Microsoft.ML.Autoencoders.Lifetime;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms.Onnx;

namespace Microsoft.ML.Autoencoders.Export;

/// <summary>
/// A loaded model's OnnxTransformer over an autoencoder graph, with <c>Transform</c> scoring blocks of rows
/// (<see cref="BatchedScoring"/>); the row-to-row mapper (PredictionEngine), the schema and <c>Save</c> are the
/// OnnxTransformer's own, so saving it again writes the same stock model. Disposing it (or the chain holding it) while other
/// threads score makes their next read throw <see cref="ObjectDisposedException"/>, after the reads in flight have ended.
/// </summary>
internal sealed class BatchedOnnxTransformer(OnnxTransformer onnx, BatchedScoring batched) : ITransformer, IDisposable
{
    private readonly DisposalGuard _guard = new("OnnxTransformer (loaded by LoadVerified)");

    public bool IsRowToRowMapper => ((ITransformer)onnx).IsRowToRowMapper;

    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema) => _guard.Run(() => onnx.GetOutputSchema(inputSchema));

    public IRowToRowMapper GetRowToRowMapper(DataViewSchema inputSchema) =>
        _guard.Run(() => new GuardedRowToRowMapper(((ITransformer)onnx).GetRowToRowMapper(inputSchema), _guard));

    public IDataView Transform(IDataView input) =>
        _guard.Run(() => new GuardedDataView(batched.Transform(input, onnx.GetOutputSchema(input.Schema)) ?? SerialDataView.Of(onnx, input), _guard));

    void ICanSaveModel.Save(ModelSaveContext ctx)
    {
        using var _ = _guard.Enter();
        ((ICanSaveModel)onnx).Save(ctx);
    }

    public void Dispose()
    {
        if (!_guard.BeginDispose()) return;
        batched.Dispose();
        onnx.Dispose();
    }

    /// <summary>
    /// <paramref name="model"/> with every OnnxTransformer over a graph this package exported that has a batched twin
    /// replaced by one that scores blocks of rows; chains are rebuilt around them, everything else is kept as it is.
    /// </summary>
    public static ITransformer Wrap(MLContext ml, ITransformer model)
    {
        switch (model)
        {
            case OnnxTransformer onnx when MLNetModelZip.OnnxBytesOf(ml, onnx) is { } graph && BatchedScoring.TryCreate(graph) is { } batched:
                return new BatchedOnnxTransformer(onnx, batched);
            case TransformerChain<ITransformer> chain:
                var parts = chain.ToArray();
                var wrapped = parts.Select(t => Wrap(ml, t)).ToArray();
                return wrapped.SequenceEqual(parts) ? chain : new TransformerChain<ITransformer>(wrapped);
            default:
                return model;
        }
    }
}
