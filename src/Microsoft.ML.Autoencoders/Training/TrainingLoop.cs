using System.Diagnostics;
using Microsoft.ML.Autoencoders.Training.Data;
using Microsoft.ML.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.Autoencoders.Training;

/// <summary>
/// The one mini-batch training loop every autoencoder family uses (dense, denoising, stacked layers,
/// convolutional, supervised fine-tuning). The caller supplies the network, the batches and the loss;
/// the loop owns the optimizer, learning-rate schedule, validation, early stopping (best weights kept),
/// cancellation, progress, and native-memory hygiene (one dispose scope per step).
/// </summary>
internal static class TrainingLoop
{
    /// <summary>Trains <paramref name="model"/> in place and returns the per-epoch history.</summary>
    /// <param name="model">The network (already on <paramref name="device"/>).</param>
    /// <param name="train">Training batches.</param>
    /// <param name="validation">Held-out batches for early stopping, or null.</param>
    /// <param name="trainLoss">Loss of a batch in training mode (may corrupt inputs, add penalties).</param>
    /// <param name="validationLoss">Loss of a batch for validation (no corruption, no penalties).</param>
    /// <param name="settings">Optimiser and schedule.</param>
    /// <param name="reporter">Where progress goes.</param>
    /// <param name="device">Device that batches are moved to.</param>
    /// <param name="monitor">Rows watched (never used to choose weights) and the error measured on them, every <paramref name="monitorEvery"/> epochs; or null.</param>
    /// <param name="monitorEvery">Epochs between measurements of <paramref name="monitor"/> (the last epoch is always measured).</param>
    public static IReadOnlyList<EpochReport> Run(nn.Module model, IBatchSource train, IBatchSource? validation,
        Func<Batch, Tensor> trainLoss, Func<Batch, Tensor> validationLoss, TrainingSettings settings,
        TrainingReporter reporter, Device device, (IBatchSource Rows, Func<Batch, Tensor> Error)? monitor = null, int monitorEvery = 1)
    {
        var history = new List<EpochReport>();
        var parameters = model.parameters().ToArray();
        using var optimizer = Optimizers.TrainingOptimizer.Create(settings, parameters);
        var clock = Stopwatch.StartNew();
        double bestValidation = double.PositiveInfinity;
        Dictionary<string, Tensor>? best = null;
        int epochsWithoutImprovement = 0;
        long steps = 0;

        try
        {
            for (int epoch = 1; epoch <= settings.Epochs; epoch++)
            {
                reporter.ThrowIfCanceled();
                double lr = settings.LearningRateAt(epoch);
                optimizer.LearningRate = lr;

                model.train();
                var epochClock = Stopwatch.StartNew();
                double lossSum = 0;
                long rows = 0;
                using (var batches = train.GetBatches(epoch, shuffle: true).GetEnumerator())
                {
                    while (true)
                    {
                        using var step = NewDisposeScope();
                        if (!batches.MoveNext()) break;
                        var batch = OnDevice(batches.Current, device);
                        optimizer.ZeroGrad();
                        var loss = trainLoss(batch);
                        loss.backward();
                        optimizer.Step();
                        double value = loss.item<float>();
                        if (!double.IsFinite(value))
                            throw new InvalidOperationException(
                                $"Training diverged at epoch {epoch}, step {steps + 1}: the loss became {value}. {DivergenceDetails(model, batch)} " +
                                $"Lower the learning rate (now {lr:G3}).");
                        lossSum += value * batch.Rows;
                        rows += batch.Rows;
                        reporter.Batch(new BatchProgress(epoch, settings.Epochs, rows, train.Rows, lossSum / rows));
                        reporter.ThrowIfCanceled();
                        NativeGarbage.AfterStep(++steps);
                    }
                }
                double samplesPerSecond = rows / Math.Max(epochClock.Elapsed.TotalSeconds, 1e-9);
                double? validationValue = validation is null ? null : Evaluate(model, validation, validationLoss, device);
                double? monitorValue = monitor is { } m && (epoch % monitorEvery == 0 || epoch == settings.Epochs) ? Evaluate(model, m.Rows, m.Error, device) : null;
                var report = new EpochReport(epoch, settings.Epochs, lossSum / Math.Max(rows, 1), validationValue,
                    samplesPerSecond, lr, clock.Elapsed, monitorValue);
                history.Add(report);
                bool stopRequested = reporter.Epoch(report);

                if (validationValue is double v)
                {
                    if (v < bestValidation)
                    {
                        bestValidation = v;
                        epochsWithoutImprovement = 0;
                        Snapshot(model, ref best);
                    }
                    else if (settings.EarlyStoppingPatience > 0 && ++epochsWithoutImprovement >= settings.EarlyStoppingPatience)
                    {
                        reporter.Info($"Early stopping after epoch {epoch}: validation loss has not improved for {epochsWithoutImprovement} epochs (best {bestValidation:F4}).");
                        break;
                    }
                }
                if (stopRequested) break;
            }
            if (best is not null) Restore(model, best);
        }
        finally
        {
            if (best is not null) foreach (var t in best.Values) t.Dispose();
        }
        model.eval();
        return history;
    }

    /// <summary>Mean loss per row over all batches of <paramref name="source"/>, without gradients.</summary>
    public static double Evaluate(nn.Module model, IBatchSource source, Func<Batch, Tensor> loss, Device device)
    {
        model.eval();
        using var noGrad = no_grad();
        double sum = 0;
        long rows = 0, steps = 0;
        using var batches = source.GetBatches(0, shuffle: false).GetEnumerator();
        while (true)
        {
            using var step = NewDisposeScope();
            if (!batches.MoveNext()) break;
            var batch = OnDevice(batches.Current, device);
            sum += loss(batch).item<float>() * batch.Rows;
            rows += batch.Rows;
            NativeGarbage.AfterStep(++steps);
        }
        return rows == 0 ? double.NaN : sum / rows;
    }

    /// <summary>What was already non-finite when the loss was: tells a diverging optimisation from a kernel that produced NaN.</summary>
    private static string DivergenceDetails(nn.Module model, Batch batch)
    {
        using var noGrad = no_grad();
        var bad = model.named_parameters().Where(p => !p.parameter.isfinite().all().item<bool>()).Select(p => p.name).ToArray();
        bool inputFinite = batch.Features.isfinite().all().item<bool>();
        return (bad.Length == 0
                ? "Every weight was still finite before this step"
                : $"Weights no longer finite before this step (the previous step's gradient was not, though its loss was finite): {string.Join(", ", bad)}")
            + (inputFinite ? "; the batch was finite." : "; the batch itself held NaN/∞.");
    }

    private static Batch OnDevice(Batch batch, Device device) =>
        device.type == DeviceType.CPU ? batch : new Batch(batch.Features.to(device), batch.Labels?.to(device));


    private static void Snapshot(nn.Module model, ref Dictionary<string, Tensor>? best)
    {
        using var noGrad = no_grad();
        best ??= [];
        foreach (var (name, p) in model.named_parameters())
        {
            if (best.TryGetValue(name, out var old)) old.Dispose();
            var copy = p.detach().clone();
            copy.DetachFromDisposeScope();
            best[name] = copy;
        }
    }

    private static void Restore(nn.Module model, Dictionary<string, Tensor> best)
    {
        using var noGrad = no_grad();
        foreach (var (name, p) in model.named_parameters()) p.copy_(best[name]);
    }
}
