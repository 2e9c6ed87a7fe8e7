using Microsoft.ML.Autoencoders.Lifetime;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers;

namespace Microsoft.ML.Autoencoders;

/// <summary>
/// A fitted <see cref="AutoencoderAnomalyDetector"/>: the autoencoder (code and squared residual columns, scored through
/// ONNX) followed by ML.NET's <see cref="AnomalyPredictionTransformer{TModel}"/>, which adds <c>Score</c> (float, higher =
/// more anomalous) and <c>PredictedLabel</c> (bool, Score &gt; <see cref="Threshold"/>). <c>mlContext.Model.Save</c> stores
/// both stock transformers, so <c>mlContext.Model.Load</c> needs nothing from this package. Safe to dispose while other
/// threads score: their next read throws <see cref="ObjectDisposedException"/>.
/// </summary>
public sealed class AutoencoderAnomalyTransformer : ITransformer, IDisposable
{
    private readonly TransformerChain<ITransformer> _chain;
    private readonly ITransformer _predictor;
    private readonly DisposalGuard _guard = new(nameof(AutoencoderAnomalyTransformer));

    internal AutoencoderAnomalyTransformer(AutoencoderTransformer autoencoder, AnomalyPredictionTransformer<LinearBinaryModelParameters> predictor,
        float threshold, float[] weights, float[] trainingScores)
    {
        Autoencoder = autoencoder;
        _predictor = predictor;
        _chain = new TransformerChain<ITransformer>(autoencoder, predictor);
        Threshold = threshold;
        ResidualWeights = weights;
        TrainingScores = trainingScores;
    }

    /// <summary>The trained autoencoder (its ONNX graph, history, batch encoder).</summary>
    public AutoencoderTransformer Autoencoder { get; }

    /// <summary>Rows whose score exceeds this are predicted anomalous.</summary>
    public float Threshold { get; }

    /// <summary>The weight of each value's squared error in the score: all 1, or 1/σ² when residuals are standardised.</summary>
    public IReadOnlyList<float> ResidualWeights { get; }

    /// <summary>The scores of the training rows, sorted (what the threshold was chosen from).</summary>
    public IReadOnlyList<float> TrainingScores { get; }

    /// <inheritdoc/>
    public bool IsRowToRowMapper => true;

    /// <inheritdoc/>
    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema) => _guard.Run(() => _chain.GetOutputSchema(inputSchema));

    /// <inheritdoc/>
    public IRowToRowMapper GetRowToRowMapper(DataViewSchema inputSchema) =>
        _guard.Run(() => new GuardedRowToRowMapper(((ITransformer)_chain).GetRowToRowMapper(inputSchema), _guard));

    /// <summary>
    /// Adds the autoencoder's columns, <c>Score</c> and <c>PredictedLabel</c>. A row holding NaN or ±∞ cannot be reconstructed:
    /// its squared residuals are +∞, so its <c>Score</c> is +∞ and it is predicted anomalous (never called normal).
    /// </summary>
    public IDataView Transform(IDataView input) => _guard.Run(() => new GuardedDataView(SerialDataView.Of(_predictor, Autoencoder.Transform(input)), _guard));

    /// <summary>Saves the stock ML.NET transformers that do the scoring (OnnxTransformer, then the anomaly predictor).</summary>
    void ICanSaveModel.Save(ModelSaveContext ctx)
    {
        using var _ = _guard.Enter();
        ((ICanSaveModel)_chain).Save(ctx);
    }

    /// <summary>Releases the ONNX Runtime session once the reads in flight have ended; later use throws <see cref="ObjectDisposedException"/>.</summary>
    public void Dispose()
    {
        if (_guard.BeginDispose()) Autoencoder.Dispose();
    }
}
