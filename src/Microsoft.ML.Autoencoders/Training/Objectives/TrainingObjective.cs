using Microsoft.ML.Autoencoders.Training.Augmentation;
using Microsoft.ML.Autoencoders.Training.Data;
using Microsoft.ML.Autoencoders.Training.Networks;
using static TorchSharp.torch;

namespace Microsoft.ML.Autoencoders.Training.Objectives;

/// <summary>
/// The loss an autoencoder trains on: the reconstruction loss of the clean rows (augmented afresh each batch when asked)
/// from the rows it is given (those rows corrupted afresh each batch for denoising), plus every penalty (sparsity, contraction, a family's own terms).
/// Optionally robust: after a warm-up, the worst-reconstructed rows of each batch are left out of the mean.
/// Validation always measures the plain reconstruction loss of clean rows.
/// </summary>
internal sealed class TrainingObjective
{
    private readonly Augmenter? _augment;
    private readonly Corruption.Corruption? _noise;
    private readonly IReadOnlyList<AutoencoderPenalty> _penalties;
    private readonly RowTrimming? _trimming;
    private long _steps;

    public TrainingObjective(ReconstructionLoss loss, Augmenter? augment, Corruption.Corruption? noise, IReadOnlyList<AutoencoderPenalty> penalties, RowTrimming? trimming = null)
    {
        Loss = loss;
        _augment = augment;
        _noise = noise;
        _penalties = penalties;
        _trimming = trimming;
    }

    /// <summary>The reconstruction loss (resolved: never Auto).</summary>
    public ReconstructionLoss Loss { get; }

    /// <summary>
    /// The objective <paramref name="o"/> describes for <paramref name="data"/>: <paramref name="augment"/> (the options' augmentation
    /// resolved for the column, or null), corruption of kind
    /// <see cref="AutoencoderOptions.Corruption"/> at <paramref name="corruptionLevel"/>, and, when
    /// <paramref name="withPenalties"/>, the sparsity penalty, the listed penalties and robust trimming.
    /// </summary>
    public static TrainingObjective From(AutoencoderOptions o, ReconstructionLoss loss, TrainingData data, Augmenter? augment, double corruptionLevel, bool withPenalties = true)
    {
        var noise = corruptionLevel > 0 ? new Corruption.Corruption(o.Corruption, corruptionLevel, data.Min, data.Max) : null;
        if (!withPenalties) return new(loss, augment, noise, []);
        IReadOnlyList<AutoencoderPenalty> penalties = [.. new[] { SparsityPenalty.From(o) }.OfType<AutoencoderPenalty>(), .. o.Penalties, .. o.FamilyTerms(data)];
        RowTrimming? trimming = null;
        if (o.RobustTrimFraction > 0)
        {
            long batch = BatchSizing.Effective(o.BatchSizeFor(data.Train.Rows), data.Train.Rows, data.InputSize, nameof(o.BatchSize));
            trimming = new RowTrimming(o.RobustTrimFraction, o.RobustWarmupEpochs * ((data.Train.Rows + batch - 1) / batch));
        }
        return new(loss, augment, noise, penalties, trimming);
    }

    /// <summary>The training loss of one batch (counts the step for the robust warm-up).</summary>
    public Tensor Training(AutoencoderNetwork network, Batch batch)
    {
        var clean = _augment?.Apply(batch.Features) ?? batch.Features;
        var input = _noise?.Apply(clean) ?? clean;
        var pass = network.Run(input);
        double trim = _trimming is { } t && ++_steps > t.WarmupSteps ? t.Fraction : 0;
        var loss = Reconstruction(network.Output, pass.Raw, clean, trim);
        if (_penalties.Count == 0) return loss;
        var context = new ObjectiveBatch(network, clean, input, pass);
        foreach (var penalty in _penalties) loss = loss + penalty.Compute(context);
        return loss;
    }

    /// <summary>The plain reconstruction loss of a batch against itself (what validation measures).</summary>
    public Tensor Validation(AutoencoderNetwork network, Batch batch) =>
        ReconstructionLossFunctions.Compute(Loss, network.forward(batch.Features), batch.Features);

    /// <summary>Σᵢ (xᵢ − x̂ᵢ)² per row, averaged over a batch (against x / Σx for a softmax output), as the reconstruction-error column computes it.</summary>
    public Tensor SquaredError(AutoencoderNetwork network, Batch batch)
    {
        var target = Loss == ReconstructionLoss.MultinomialCrossEntropy ? ReconstructionLossFunctions.Distribution(batch.Features) : batch.Features;
        return (network.Reconstruct(batch.Features) - target).pow(2).sum(1).mean();
    }

    private Tensor Reconstruction(ReconstructionOutput output, Tensor raw, Tensor target, double trimFraction)
    {
        if (trimFraction <= 0) return ReconstructionLossFunctions.Compute(Loss, raw, target);
        // Robust training: the rows this batch reconstructs worst (likely outliers) are left out of the mean.
        var rows = ReconstructionLossFunctions.PerRow(Loss, raw, target);
        long keep = Math.Max(1, rows.shape[0] - (long)Math.Floor(trimFraction * rows.shape[0]));
        return rows.index_select(0, BestReconstructed(Loss, output, raw, target, keep)).sum() / keep;
    }

    /// <summary>
    /// Indices of the <paramref name="keep"/> rows with the lowest squared reconstruction error — the detector's score,
    /// not the loss: a row's cross-entropy also grows with how much grey it holds, so ranking by the loss would leave out
    /// the inkiest normal rows rather than the outliers.
    /// </summary>
    internal static Tensor BestReconstructed(ReconstructionLoss loss, ReconstructionOutput output, Tensor raw, Tensor target, long keep)
    {
        using var _ = no_grad();
        var reference = loss == ReconstructionLoss.MultinomialCrossEntropy ? ReconstructionLossFunctions.Distribution(target) : target;
        return (output.Apply(raw) - reference).pow(2).sum(1).topk((int)keep, largest: false).indexes;
    }
}

/// <summary>Leave the <paramref name="Fraction"/> of each batch with the highest loss out of the gradient after <paramref name="WarmupSteps"/> steps.</summary>
internal sealed record RowTrimming(double Fraction, long WarmupSteps);
