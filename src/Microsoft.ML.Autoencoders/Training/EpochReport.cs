namespace Microsoft.ML.Autoencoders;

/// <summary>What happened in one training epoch; reported through <c>Progress</c> and kept in the training history.</summary>
/// <param name="Epoch">1-based epoch number.</param>
/// <param name="TotalEpochs">Epochs configured (training may stop earlier).</param>
/// <param name="TrainLoss">Mean training loss over the epoch's batches (per row, summed over the row's values).</param>
/// <param name="ValidationLoss">Loss on the held-out rows, or null without a validation fraction.</param>
/// <param name="SamplesPerSecond">Training rows processed per second in this epoch.</param>
/// <param name="LearningRate">Learning rate used in this epoch.</param>
/// <param name="Elapsed">Wall-clock time since training started.</param>
/// <param name="MonitorError">
/// Reconstruction error Σᵢ (xᵢ − x̂ᵢ)² per row, averaged over <see cref="AutoencoderTrainingOptions.MonitorData"/>, in the epochs it
/// was measured (every <see cref="AutoencoderTrainingOptions.MonitorEvery"/> epochs and the last); null otherwise.
/// </param>
public sealed record EpochReport(int Epoch, int TotalEpochs, double TrainLoss, double? ValidationLoss,
    double SamplesPerSecond, double LearningRate, TimeSpan Elapsed, double? MonitorError = null);

/// <summary>Progress inside an epoch, for progress bars: batches done so far.</summary>
/// <param name="Epoch">1-based epoch number.</param>
/// <param name="TotalEpochs">Epochs configured.</param>
/// <param name="RowsDone">Training rows processed so far in this epoch.</param>
/// <param name="RowsPerEpoch">Training rows per epoch.</param>
/// <param name="RunningLoss">Mean loss over the epoch's batches so far.</param>
public sealed record BatchProgress(int Epoch, int TotalEpochs, long RowsDone, long RowsPerEpoch, double RunningLoss);
