using Microsoft.ML.Autoencoders;
using Microsoft.ML;
using Spectre.Console;

namespace AutoencoderSamples.Common;

/// <summary>
/// Shows training progress as a Spectre.Console progress bar (epoch, loss, samples/s), or nothing with --quiet.
/// Plugs into <see cref="AutoencoderOptions.BatchProgress"/> and <see cref="AutoencoderOptions.Progress"/>.
/// </summary>
internal sealed class TrainingDisplay(bool quiet)
{
    /// <summary>Runs <paramref name="train"/> with a progress bar titled <paramref name="title"/>; the options' callbacks drive it.</summary>
    public T Run<T>(string title, AutoencoderTrainingOptions options, Func<T> train)
    {
        if (quiet) return train();
        T result = default!;
        AnsiConsole.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
            .Start(ctx =>
            {
                var task = ctx.AddTask(Markup.Escape(title), maxValue: options.Epochs ?? 1);   // automatic epochs: the first report gives the count
                double lastSamplesPerSecond = 0;
                options.BatchProgress = new Callback<BatchProgress>(b =>
                {
                    task.MaxValue = b.TotalEpochs;
                    task.Value = b.Epoch - 1 + (double)b.RowsDone / Math.Max(1, b.RowsPerEpoch);
                    task.Description = Markup.Escape($"{title} · epoch {b.Epoch}/{b.TotalEpochs} · loss {b.RunningLoss:F3} · {lastSamplesPerSecond:F0} samples/s");
                });
                options.Progress = new Callback<EpochReport>(r =>
                {
                    lastSamplesPerSecond = r.SamplesPerSecond;
                    task.Value = r.Epoch;
                    task.Description = Markup.Escape($"{title} · epoch {r.Epoch}/{r.TotalEpochs} · loss {r.TrainLoss:F3}" +
                        (r.ValidationLoss is double v ? $" · val {v:F3}" : "") + $" · {r.SamplesPerSecond:F0} samples/s");
                });
                result = train();
                task.Value = task.MaxValue;
            });
        return result;
    }
}
