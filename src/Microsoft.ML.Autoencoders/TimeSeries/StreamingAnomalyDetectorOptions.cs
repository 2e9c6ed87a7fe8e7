namespace Microsoft.ML.Autoencoders;

/// <summary>
/// Options of <see cref="StreamingAnomalyDetector"/>: the window the autoencoder sees, the autoencoder, how its errors
/// become a likelihood, when it retrains, and the threshold rule.
/// </summary>
public sealed class StreamingAnomalyDetectorOptions
{
    /// <summary>Default values.</summary>
    public static class Defaults
    {
        /// <summary>Points per window.</summary>
        public const int Window = 32;

        /// <summary>Newest time steps whose error scores a point.</summary>
        public const int ScoredSteps = 4;
    }

    /// <summary>Points per window: each point is scored by the reconstruction error of the window that ends at it.</summary>
    public int Window { get; set; } = Defaults.Window;

    /// <summary>
    /// The newest time steps of the window whose squared reconstruction error scores its last point; null uses the whole
    /// window. A whole-window error stays high for as many points as an anomaly stays in the window, and NAB counts every
    /// one of those outside a labelled window as a false positive; the newest steps alone flag the point when it arrives.
    /// Default 4: chosen on the NAB tuning split (artificial series and every other real one; standard profile): 26.2 for the
    /// 4 newest steps, 26.1 for the newest, 22.5 for the whole window of 32 (log errors; the held-out real series 23.0 / 21.2 / 8.4).
    /// </summary>
    public int? ScoredSteps { get; set; } = Defaults.ScoredSteps;

    /// <summary>Points between the ends of consecutive training windows (1: every window).</summary>
    public int TrainingStride { get; set; } = 1;

    /// <summary>
    /// The autoencoder over flattened windows ([time, channel] order, each channel standardised with the mean and standard
    /// deviation of the training points). The default is a dense one with a 32-unit hidden layer and a 4-value code.
    /// Its output-column options are ignored.
    /// </summary>
    public AutoencoderOptions Network { get; set; } = new() { EncoderLayers = [32], CodeSize = 4, Augmentation = null };

    /// <summary>How reconstruction errors become a likelihood (HTM's anomaly likelihood; see <see cref="AnomalyLikelihood"/>).</summary>
    public AnomalyLikelihoodOptions Likelihood { get; set; } = new();

    /// <summary>
    /// Retrain the autoencoder after every this many new points, on the points seen so far (at most
    /// <see cref="MaximumTrainingPoints"/>, the latest); null never retrains. Retraining happens inside the
    /// <c>Score</c> call that completes the period, so that call takes as long as a training run.
    /// </summary>
    public int? RetrainEvery { get; set; }

    /// <summary>Most points (the latest) a retraining uses; null uses every point seen.</summary>
    public int? MaximumTrainingPoints { get; set; }

    /// <summary>Which rule sets the threshold (see <see cref="AnomalyThresholdRule"/>).</summary>
    public AnomalyThresholdRule ThresholdRule { get; set; } = AnomalyThresholdRule.Automatic;

    /// <summary>The score threshold for <see cref="AnomalyThresholdRule.Fixed"/>, in [0, 1].</summary>
    public double Threshold { get; set; } = 0.5;

    /// <summary>The expected fraction of anomalous points for <see cref="AnomalyThresholdRule.Contamination"/>, in (0, 1).</summary>
    public double Contamination { get; set; } = 0.01;

    internal void Validate()
    {
        if (Window < 2) throw new ArgumentOutOfRangeException(nameof(Window), Window, $"Option 'Window' must be at least 2 points; got {Window}.");
        if (ScoredSteps is int k && (k < 1 || k > Window)) throw new ArgumentOutOfRangeException(nameof(ScoredSteps), k, $"Option 'ScoredSteps' must be between 1 and Window ({Window}) or null; got {k}.");
        if (TrainingStride < 1) throw new ArgumentOutOfRangeException(nameof(TrainingStride), TrainingStride, $"Option 'TrainingStride' must be at least 1; got {TrainingStride}.");
        if (Network is null) throw new ArgumentOutOfRangeException(nameof(Network), "Option 'Network' must be set (the window autoencoder's options).");
        Network.Validate();
        if (Network is StackedPretrainerOptions { Classifies: true })
            throw new ArgumentOutOfRangeException(nameof(Network), "Option 'Network' is a classifying stack; a detector learns normal windows without labels.");
        if (Likelihood is null) throw new ArgumentOutOfRangeException(nameof(Likelihood), "Option 'Likelihood' must be set.");
        Likelihood.Validate();
        if (RetrainEvery is int r && r < 1) throw new ArgumentOutOfRangeException(nameof(RetrainEvery), r, $"Option 'RetrainEvery' must be at least 1 point or null; got {r}.");
        if (MaximumTrainingPoints is int m && m <= Window) throw new ArgumentOutOfRangeException(nameof(MaximumTrainingPoints), m, $"Option 'MaximumTrainingPoints' must exceed Window ({Window}) or be null; got {m}.");
        if (!(Threshold >= 0 && Threshold <= 1)) throw new ArgumentOutOfRangeException(nameof(Threshold), Threshold, $"Option 'Threshold' must be in [0, 1]; got {Threshold}.");
        if (!(Contamination > 0 && Contamination < 1)) throw new ArgumentOutOfRangeException(nameof(Contamination), Contamination, $"Option 'Contamination' must be in (0, 1); got {Contamination}.");
    }
}
