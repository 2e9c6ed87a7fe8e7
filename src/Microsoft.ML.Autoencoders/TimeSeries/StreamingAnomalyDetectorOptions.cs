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
        public const int ScoredSteps = 1;

        /// <summary>HTM's spatial rule: tolerance beyond the range seen, as a fraction of it.</summary>
        public const double SpatialTolerance = 0.02;
    }

    /// <summary>Points per window: each point is scored by the reconstruction error of the window that ends at it.</summary>
    public int Window { get; set; } = Defaults.Window;

    /// <summary>
    /// The newest time steps of the window whose squared reconstruction error scores its last point; null uses the whole
    /// window. A whole-window error stays high for as many points as an anomaly stays in the window, and NAB counts every
    /// one of those outside a labelled window as a false positive; the newest steps alone flag the point when it arrives.
    /// Default 1, chosen on the NAB tuning split (the artificial series and every other real one; standard profile; see
    /// the README's <c>nab</c> entry for every setting tried): with the spatial rule at 0.05, 55.5 for the newest step,
    /// 52.5 for the 4 newest, 52.0 for the whole window of 32.
    /// </summary>
    public int? ScoredSteps { get; set; } = Defaults.ScoredSteps;

    /// <summary>
    /// When set, a point whose value in some channel lies beyond the range of every point seen so far (training points
    /// included) by more than this fraction of that range scores 1, whatever its window's error — the "spatial anomaly"
    /// rule of Numenta's HTM detector (see <see cref="SeenRange"/>). Null turns it off. Default 0.02, chosen on the NAB
    /// tuning split (standard profile, window network 32/4, 4 newest steps): off 26.2, 0 46.6, 0.02 55.4, 0.05 52.5 (HTM's
    /// value), 0.1 46.0 — on NAB the rule carries most of the score.
    /// </summary>
    public double? SpatialTolerance { get; set; } = Defaults.SpatialTolerance;

    /// <summary>Points between the ends of consecutive training windows (1: every window).</summary>
    public int TrainingStride { get; set; } = 1;

    /// <summary>
    /// The autoencoder over flattened windows ([time, channel] order, each channel standardised with the mean and standard
    /// deviation of the training points): any family's options, e.g. <see cref="SequenceAutoencoderOptions"/> for 1-D
    /// convolutions. The default is dense, hidden layers 64-16 and an 8-value code, chosen on the NAB tuning split
    /// (standard profile, newest step scored, spatial rule 0.02): 64-16/8 61.1, 64-16/4 59.1, 32/8 58.5, 32/4 56.4, 32/2
    /// 55.5, one linear layer to 4 values 57.8. Its output-column options are ignored.
    /// </summary>
    public AutoencoderOptions Network { get; set; } = new() { EncoderLayers = [64, 16], CodeSize = 8, Augmentation = null };

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
        if (SpatialTolerance is double tolerance && !(tolerance >= 0 && double.IsFinite(tolerance)))
            throw new ArgumentOutOfRangeException(nameof(SpatialTolerance), tolerance, $"Option 'SpatialTolerance' must be zero or positive (or null); got {tolerance}.");
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
