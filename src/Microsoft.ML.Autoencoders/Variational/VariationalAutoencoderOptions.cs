using Microsoft.ML.Autoencoders.Training.Data;

namespace Microsoft.ML.Autoencoders;

/// <summary>
/// Options of <see cref="VariationalAutoencoder"/>: everything <see cref="AutoencoderOptions"/> has (layers, code size,
/// training, outputs; <see cref="AutoencoderOptions.CodeActivation"/> does not apply: the code is the posterior mean),
/// plus the weight of the KL term, its warm-up and free bits. The reconstruction loss is the data's negative
/// log-likelihood: Bernoulli (binary cross-entropy) for [0, 1] data, Gaussian with a fixed variance (squared error)
/// otherwise, as <see cref="ReconstructionLoss.Auto"/> chooses. No augmentation by default.
/// </summary>
public sealed class VariationalAutoencoderOptions : AutoencoderOptions
{
    /// <summary>Creates options with the defaults of <see cref="VariationalAutoencoder.Defaults"/>.</summary>
    public VariationalAutoencoderOptions()
    {
        Augmentation = null;
        CodeSize = VariationalAutoencoder.Defaults.CodeSize;
    }

    /// <summary>β, the weight of KL(q(z|x) ‖ N(0, I)) (1: the evidence lower bound; other values: a β-VAE).</summary>
    public double Beta { get; set; } = 1;

    /// <summary>Epochs over which the KL weight rises linearly from 0 to <see cref="Beta"/> (0: full weight from the start).</summary>
    public int KlWarmupEpochs { get; set; }

    /// <summary>Free bits λ (nats per code dimension): each dimension's batch-mean KL counts as at least λ, a guard against posterior collapse (0: off).</summary>
    public double FreeBits { get; set; }

    internal override IAutoencoderEstimator CreateEstimator(Microsoft.ML.Runtime.IHostEnvironment env, string outputColumnName, string inputColumnName) =>
        new VariationalAutoencoder(env, outputColumnName, inputColumnName, this);

    internal override IEnumerable<AutoencoderPenalty> FamilyTerms(TrainingData data)
    {
        long batch = BatchSizing.Effective(BatchSizeFor(data.Train.Rows), data.Train.Rows, data.InputSize, nameof(BatchSize));
        long stepsPerEpoch = (data.Train.Rows + batch - 1) / batch;
        return [new VariationalKlTerm(Beta, KlWarmupEpochs * stepsPerEpoch, FreeBits)];
    }

    internal override void Validate()
    {
        base.Validate();
        if (!(Beta >= 0) || !double.IsFinite(Beta)) throw Bad(nameof(Beta), Beta, "must be zero or positive");
        if (KlWarmupEpochs < 0) throw Bad(nameof(KlWarmupEpochs), KlWarmupEpochs, "must be zero or positive");
        if (!(FreeBits >= 0) || !double.IsFinite(FreeBits)) throw Bad(nameof(FreeBits), FreeBits, "must be zero or positive");
    }
}
