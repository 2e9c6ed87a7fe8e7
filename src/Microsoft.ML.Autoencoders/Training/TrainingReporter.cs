using Microsoft.ML.Runtime;

namespace Microsoft.ML.Autoencoders.Training;

/// <summary>
/// Sends training progress the ML.NET way (an <see cref="IChannel"/> whose messages reach
/// <c>mlContext.Log</c>, plus a progress channel) and to the user's optional <see cref="IProgress{T}"/>
/// callbacks; also answers "should we stop?" for the user's <see cref="CancellationToken"/>.
/// </summary>
internal sealed class TrainingReporter : IDisposable
{
    private readonly IChannel _channel;
    private readonly IProgressChannel _progressChannel;
    private readonly IProgress<EpochReport>? _epochProgress;
    private readonly IProgress<BatchProgress>? _batchProgress;
    private readonly CancellationToken _cancellation;
    private BatchProgress? _lastBatch;
    private readonly Func<EpochReport, bool>? _stopWhen;

    public TrainingReporter(IHost host, string stage, AutoencoderTrainingOptions options)
        : this(host, stage, options.Progress, options.BatchProgress, options.CancellationToken, options.StopWhen)
    {
    }

    public TrainingReporter(IHost host, string stage, IProgress<EpochReport>? epochProgress,
        IProgress<BatchProgress>? batchProgress, CancellationToken cancellation, Func<EpochReport, bool>? stopWhen = null)
    {
        _stopWhen = stopWhen;
        _channel = host.Start(stage);
        _progressChannel = host.StartProgressChannel(stage);
        _progressChannel.SetHeader(new ProgressHeader(["Loss"], ["Epoch", "Rows"]), e =>
        {
            if (_lastBatch is { } b)
            {
                e.SetProgress(0, b.Epoch - 1, b.TotalEpochs);
                e.SetProgress(1, b.RowsDone, b.RowsPerEpoch);
                e.SetMetric(0, b.RunningLoss);
            }
        });
        _epochProgress = epochProgress;
        _batchProgress = batchProgress;
        _cancellation = cancellation;
    }

    public void Info(string message) => _channel.Info(MessageSensitivity.None, message);

    public void Batch(BatchProgress progress)
    {
        _lastBatch = progress;
        _batchProgress?.Report(progress);
    }

    /// <summary>Reports an epoch; true when the caller's <see cref="AutoencoderTrainingOptions.StopWhen"/> asks to end training there.</summary>
    public bool Epoch(EpochReport r)
    {
        _channel.Info(MessageSensitivity.None, $"Epoch {r.Epoch}/{r.TotalEpochs}: train loss {r.TrainLoss:F4}" +
            (r.ValidationLoss is double v ? $", validation loss {v:F4}" : "") +
            (r.MonitorError is double m ? $", monitored rows' error {m:F4}" : "") +
            $", {r.SamplesPerSecond:F0} samples/s, learning rate {r.LearningRate:G3}");
        _epochProgress?.Report(r);
        if (_stopWhen?.Invoke(r) != true) return false;
        Info($"Stopped after epoch {r.Epoch} of {r.TotalEpochs}: StopWhen asked for it.");
        return true;
    }

    public void ThrowIfCanceled()
    {
        _cancellation.ThrowIfCancellationRequested();
    }

    public void Dispose()
    {
        _progressChannel.Dispose();
        _channel.Dispose();
    }
}
