namespace Microsoft.ML.Autoencoders;

/// <summary>
/// How a network is trained, shared by every autoencoder estimator: optimiser, schedule, batches, epochs,
/// validation and early stopping, data caching, seed, progress, cancellation and device.
/// </summary>
public abstract class AutoencoderTrainingOptions
{
    /// <summary>Default values of the training settings (a family may start from others: see its <c>Defaults</c>).</summary>
    public static class Defaults
    {
        /// <summary>Initial learning rate (Adam).</summary>
        public const double LearningRate = 1e-3;
        /// <summary>Rows per mini-batch of an automatic <see cref="AutoencoderTrainingOptions.BatchSize"/> on large data (its upper limit).</summary>
        public const int BatchSize = 256;
        /// <summary>Smallest automatic batch size.</summary>
        public const int MinimumBatchSize = 16;
        /// <summary>An automatic batch size gives each epoch at least this many mini-batches (when that leaves batches of <see cref="MinimumBatchSize"/> rows or more).</summary>
        public const int BatchesPerEpoch = 32;
        /// <summary>Optimiser steps (mini-batches) an automatic <see cref="AutoencoderTrainingOptions.Epochs"/> aims at.</summary>
        public const int TrainingSteps = 3000;
        /// <summary>Most epochs an automatic <see cref="AutoencoderTrainingOptions.Epochs"/> chooses (tiny data).</summary>
        public const int MaximumEpochs = 1000;
        /// <summary>Early-stopping patience (epochs).</summary>
        public const int EarlyStoppingPatience = 5;
    }

    /// <summary>Optimiser.</summary>
    public OptimizerKind Optimizer { get; set; } = OptimizerKind.Adam;

    /// <summary>Initial learning rate.</summary>
    public double LearningRate { get; set; } = Defaults.LearningRate;

    /// <summary>How the learning rate changes over the epochs.</summary>
    public LearningRateSchedule LearningRateSchedule { get; set; } = LearningRateSchedule.Constant;

    /// <summary>Momentum for <see cref="OptimizerKind.SgdMomentum"/> (ignored by Adam).</summary>
    public double Momentum { get; set; } = 0.9;

    /// <summary>L2 weight decay (added to the gradient, as in PyTorch's optimisers).</summary>
    public double WeightDecay { get; set; }

    /// <summary>
    /// Rows per mini-batch. Null (the default) adapts it to the training rows: rows ÷ <see cref="Defaults.BatchesPerEpoch"/>,
    /// between <see cref="Defaults.MinimumBatchSize"/> and <see cref="Defaults.BatchSize"/> — 256 from 8,192 rows up, 25 for 800 rows —
    /// so that small data still gets many optimiser steps per epoch.
    /// </summary>
    public int? BatchSize { get; set; }

    /// <summary>
    /// Passes over the training data (fewer when early stopping triggers). Null (the default) counts optimiser steps instead
    /// of epochs: enough epochs for about <see cref="Defaults.TrainingSteps"/> mini-batches (at least 1, at most
    /// <see cref="Defaults.MaximumEpochs"/>) — 13 epochs of 60,000 rows at 256 rows per batch, 94 of 800 rows at 25 —
    /// so a small collection is trained as long as a large one rather than for a handful of steps.
    /// </summary>
    public int? Epochs { get; set; }

    /// <summary>Fraction of rows held out to measure validation loss each epoch, in [0, 1). 0 turns validation off.</summary>
    public double ValidationFraction { get; set; }

    /// <summary>With validation: stop after this many epochs without improvement (0 = never stop early). The best epoch's weights are kept either way.</summary>
    public int EarlyStoppingPatience { get; set; } = Defaults.EarlyStoppingPatience;

    /// <summary>
    /// Rows to watch during training (e.g. a test set, for a learning curve): every <see cref="MonitorEvery"/> epochs their
    /// reconstruction error is reported in <see cref="EpochReport.MonitorError"/>. Only reported: unlike the validation rows,
    /// it never chooses the weights kept or stops training. Null turns it off.
    /// </summary>
    public IDataView? MonitorData { get; set; }

    /// <summary>How often (in epochs) <see cref="MonitorData"/> is measured; the last epoch always is.</summary>
    public int MonitorEvery { get; set; } = 5;

    /// <summary>
    /// Read the training column into memory once instead of streaming it from the IDataView every epoch.
    /// Faster for data that fits in memory; off by default so that any size of data can be used.
    /// </summary>
    public bool CacheInMemory { get; set; }

    /// <summary>Seed for weight initialisation, shuffling and the validation split. Null takes one from the MLContext's seed, so <c>new MLContext(seed: 1)</c> reproduces a run. Trainings started on several threads of one process take turns, because torch's random generator is process-wide.</summary>
    public int? Seed { get; set; }

    /// <summary>Called after every epoch (in addition to the ML.NET log messages).</summary>
    public IProgress<EpochReport>? Progress { get; set; }

    /// <summary>
    /// Called after every epoch with its report; returning true ends training there, as early stopping does (with a
    /// validation split, the best weights are kept). Experiments use it to stop poor trials early
    /// (<c>AutoencoderExperiment.SetTrialStopping</c>); null trains every epoch.
    /// </summary>
    public Func<EpochReport, bool>? StopWhen { get; set; }

    /// <summary>Called after every mini-batch, for progress bars.</summary>
    public IProgress<BatchProgress>? BatchProgress { get; set; }

    /// <summary>Stops training (with <see cref="OperationCanceledException"/>) when signalled.</summary>
    public CancellationToken CancellationToken { get; set; }

    /// <summary>GPU to train and score on (CUDA device index), or null for the CPU. Mirrors <c>MLContext.GpuDeviceId</c>.</summary>
    public int? GpuDeviceId { get; set; }

    /// <summary>When a GPU is requested but no CUDA backend is available: true uses the CPU, false throws.</summary>
    public bool FallbackToCpu { get; set; } = true;

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the first option that makes no sense.</summary>
    internal virtual void Validate()
    {
        if (!(LearningRate > 0) || !double.IsFinite(LearningRate)) throw Bad(nameof(LearningRate), LearningRate, "must be a positive number");
        if (!(Momentum >= 0 && Momentum < 1)) throw Bad(nameof(Momentum), Momentum, "must be in [0, 1)");
        if (!(WeightDecay >= 0) || !double.IsFinite(WeightDecay)) throw Bad(nameof(WeightDecay), WeightDecay, "must be zero or positive");
        if (BatchSize is < 1) throw Bad(nameof(BatchSize), BatchSize, "must be at least 1 (or null to adapt it to the data)");
        if (Epochs is < 1) throw Bad(nameof(Epochs), Epochs, "must be at least 1 (or null to adapt it to the data)");
        if (!(ValidationFraction >= 0 && ValidationFraction < 1)) throw Bad(nameof(ValidationFraction), ValidationFraction, "must be in [0, 1)");
        if (MonitorEvery < 1) throw Bad(nameof(MonitorEvery), MonitorEvery, "must be at least 1");
        if (EarlyStoppingPatience < 0) throw Bad(nameof(EarlyStoppingPatience), EarlyStoppingPatience, "must be zero or positive");
        if (GpuDeviceId is < 0) throw Bad(nameof(GpuDeviceId), GpuDeviceId, "must be a device index (0 or more) or null for the CPU");
        if (!Enum.IsDefined(Optimizer)) throw Bad(nameof(Optimizer), Optimizer, "is not a known optimizer");
        if (!Enum.IsDefined(LearningRateSchedule)) throw Bad(nameof(LearningRateSchedule), LearningRateSchedule, "is not a known learning-rate schedule");
    }

    /// <summary>The batch size for <paramref name="trainingRows"/> rows: <see cref="BatchSize"/>, or the automatic one.</summary>
    internal int BatchSizeFor(long trainingRows) =>
        BatchSize ?? (int)Math.Clamp(trainingRows / Defaults.BatchesPerEpoch, Defaults.MinimumBatchSize, Defaults.BatchSize);

    /// <summary>The epochs for <paramref name="trainingRows"/> rows: <see cref="Epochs"/>, or the automatic count of about <see cref="Defaults.TrainingSteps"/> steps.</summary>
    internal int EpochsFor(long trainingRows) =>
        Epochs ?? EpochsForSteps(Defaults.TrainingSteps, trainingRows, BatchSizeFor(trainingRows));

    /// <summary>
    /// Epochs that give about <paramref name="steps"/> optimiser steps over <paramref name="rows"/> rows in mini-batches of
    /// <paramref name="batchSize"/>: at least 1, at most <see cref="Defaults.MaximumEpochs"/>. For recipes counted in steps.
    /// </summary>
    public static int EpochsForSteps(int steps, long rows, int batchSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        long batchesPerEpoch = Math.Max(1, (rows + batchSize - 1) / batchSize);
        return (int)Math.Clamp((steps + batchesPerEpoch - 1) / batchesPerEpoch, 1, Defaults.MaximumEpochs);
    }

    private protected static ArgumentOutOfRangeException Bad(string option, object? value, string rule) =>
        new(option, value, $"Option '{option}' {rule}; got {value}.");
}
