namespace Microsoft.ML.Autoencoders;

/// <summary>
/// Options of <see cref="AutoencoderAnomalyDetector"/>: which autoencoder learns what normal rows look like, how a
/// row's reconstruction error becomes its anomaly score, and where the threshold between normal and anomalous lies.
/// </summary>
public sealed class AutoencoderAnomalyDetectorOptions
{
    /// <summary>Default values.</summary>
    public static class Defaults
    {
        /// <summary>Fraction of training rows the threshold flags as anomalous.</summary>
        public const double Contamination = 0.01;
    }

    /// <summary>
    /// The autoencoder: <see cref="AutoencoderOptions"/> for a dense one, <see cref="DenoisingAutoencoderOptions"/> or
    /// <see cref="ConvolutionalAutoencoderOptions"/> for those families. Its
    /// <see cref="AutoencoderOptions.RobustTrimFraction"/> makes training robust to anomalies mixed into the training data.
    /// Its output-column options are ignored. The default is a 256-64 encoder with a 16-value code, no augmentation, and
    /// batch size and epochs left to the training rows (about 3,000 optimiser steps, as for every family). Measured on
    /// MNIST one-class tasks (mean validation AUC over the ten digits): a fixed 20 epochs (about 850 steps for 5,400
    /// images) 0.937, the automatic count 0.965; ±1-pixel shifts of image rows lowered it (0.953 against 0.963 at 60
    /// epochs), so unlike the featurizers' default the detector does not augment image columns.
    /// </summary>
    public AutoencoderOptions Network { get; set; } = new() { EncoderLayers = [256, 64], CodeSize = 16, Augmentation = null };

    /// <summary>
    /// Score each value's squared error divided by its mean over the training rows (a residual standardised per
    /// feature) instead of the plain sum of squared errors: features the autoencoder always reconstructs well then count
    /// for more when they go wrong.
    /// </summary>
    public bool StandardizeResiduals { get; set; }

    /// <summary>Expected fraction of anomalies: the threshold is the (1 − Contamination) quantile of the training rows' scores. Ignored when <see cref="Threshold"/> is set.</summary>
    public double Contamination { get; set; } = Defaults.Contamination;

    /// <summary>A fixed threshold on the score: rows scoring above it are predicted anomalous.</summary>
    public float? Threshold { get; set; }

    /// <summary>Name of the column that receives the code (the anomaly detector's pipeline also writes it).</summary>
    public string CodeColumnName { get; set; } = "AutoencoderCode";

    /// <summary>Name of the column that receives (x − x̂)² for each input value, from which the score is summed.</summary>
    public string SquaredResidualColumnName { get; set; } = "AutoencoderSquaredResidual";

    internal void Validate()
    {
        if (Network is null) throw new ArgumentOutOfRangeException(nameof(Network), "Option 'Network' must be set (the autoencoder's options).");
        Network.Validate();
        if (Network is StackedPretrainerOptions { Classifies: true } classifier)
            throw new ArgumentOutOfRangeException(nameof(Network), $"Option 'Network' is a stack with FineTuning = {classifier.FineTuning}: an anomaly detector learns the normal rows without labels, so use FineTuning = Unsupervised or None.");
        if (!(Contamination > 0 && Contamination < 1)) throw new ArgumentOutOfRangeException(nameof(Contamination), Contamination, $"Option 'Contamination' must be in (0, 1); got {Contamination}.");
        if (Threshold is float t && !float.IsFinite(t)) throw new ArgumentOutOfRangeException(nameof(Threshold), t, $"Option 'Threshold' must be a finite number; got {t}.");
        ArgumentException.ThrowIfNullOrEmpty(CodeColumnName, nameof(CodeColumnName));
        ArgumentException.ThrowIfNullOrEmpty(SquaredResidualColumnName, nameof(SquaredResidualColumnName));
    }
}
