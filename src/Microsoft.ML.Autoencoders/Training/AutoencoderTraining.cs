using Microsoft.ML.Autoencoders.Training.Data;
using Microsoft.ML.Autoencoders.Training.Networks;
using Microsoft.ML.Autoencoders.Training.Regularization;
using Microsoft.ML.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.Autoencoders.Training;

/// <summary>A trained network with what was learned about training it.</summary>
internal sealed record TrainedNetwork(AutoencoderNetwork Network, IReadOnlyList<EpochReport> History, ReconstructionLoss Loss, int Seed, long TrainingRows);

/// <summary>
/// From an IDataView column and <see cref="AutoencoderOptions"/> to a trained network: schema and data
/// checks, seed, device, validation split, batch sources, loss choice, then the shared
/// <see cref="TrainingLoop"/>. Every autoencoder estimator goes through here; a family only supplies
/// its network and, if it needs one, its own training loss (corruption, penalties).
/// </summary>
internal static class AutoencoderTraining
{
    /// <summary>Builds a network given the input length and the output its loss needs.</summary>
    public delegate AutoencoderNetwork NetworkFactory(int inputSize, ReconstructionOutput output);

    /// <summary>Trains a network on <paramref name="column"/>; with <paramref name="corruption"/>, as a denoising autoencoder.</summary>
    public static TrainedNetwork Train(IHost host, IDataView data, string column, AutoencoderOptions options,
        NetworkFactory createNetwork, (CorruptionKind Kind, double Level)? corruption = null, string stage = "Training autoencoder")
    {
        using var prepared = TrainingData.Prepare(data, column, options, options.Seed ?? host.Rand.Next());
        var loss = ResolveLoss(options.Loss, prepared, column);
        RowTrimming? trimming = null;
        if (options.RobustTrimFraction > 0)
        {
            long batch = BatchSizing.Effective(options.BatchSize, prepared.Train.Rows, prepared.InputSize, nameof(options.BatchSize));
            long steps = (prepared.Train.Rows + batch - 1) / batch;
            trimming = new RowTrimming(options.RobustTrimFraction, options.RobustWarmupEpochs * steps);
        }
        return TrainOn(host, prepared, loss, options, CodePenalty.From(options), createNetwork, corruption, stage, trimming: trimming);
    }

    /// <summary>Leave the <paramref name="Fraction"/> of each batch with the highest loss out of the gradient after <paramref name="WarmupSteps"/> steps.</summary>
    public sealed record RowTrimming(double Fraction, long WarmupSteps);

    /// <summary>
    /// Trains a new network on already prepared batches (the stacked pretrainer feeds each layer the codes of
    /// the layers below this way). The caller keeps ownership of <paramref name="data"/>.
    /// </summary>
    public static TrainedNetwork TrainOn(IHost host, TrainingData data, ReconstructionLoss loss, AutoencoderTrainingOptions options,
        CodePenalty penalty, NetworkFactory createNetwork, (CorruptionKind Kind, double Level)? corruption, string stage, TrainingSettings? settings = null,
        RowTrimming? trimming = null)
    {
        var device = DeviceSelection.Resolve(options.GpuDeviceId, options.FallbackToCpu, host);
        using var generator = TorchRandomness.Seed(data.Seed);
        var network = createNetwork(data.InputSize, ReconstructionOutputs.For(loss));
        try
        {
            network.to(device);
            using var reporter = new TrainingReporter(host, stage, options.Progress, options.BatchProgress, options.CancellationToken);
            reporter.Info($"{stage}: {data.Train.Rows} rows of {data.InputSize} values" +
                (data.Validation is null ? "" : $", {data.Validation.Rows} held out for validation") +
                $", {network.ParameterCount:N0} parameters, loss {loss}, seed {data.Seed}, device {device.type}.");

            var noise = corruption is { } c
                ? new Corruption.Corruption(c.Kind, c.Level, data.Min, data.Max)
                : null;
            long step = 0;
            var history = TrainingLoop.Run(network, data.Train, data.Validation,
                batch => RegularizedLoss(network, loss, noise?.Apply(batch.Features) ?? batch.Features, batch.Features, penalty,
                    trimming is { } t && ++step > t.WarmupSteps ? t.Fraction : 0),
                batch => PlainLoss(network, loss, batch),
                settings ?? Settings(options), reporter, device);
            network.to(CPU);
            return new TrainedNetwork(network, history, loss, data.Seed, data.Train.Rows);
        }
        catch
        {
            network.Dispose();
            throw;
        }
    }

    /// <summary>The plain reconstruction loss of a batch against itself (what validation measures).</summary>
    public static Tensor PlainLoss(AutoencoderNetwork network, ReconstructionLoss loss, Batch batch) =>
        ReconstructionLossFunctions.Compute(loss, network.forward(batch.Features), batch.Features);

    /// <summary>
    /// The training loss: reconstruct <paramref name="target"/> from <paramref name="input"/> (the same tensor, or a
    /// corrupted copy for denoising) and add the code penalties.
    /// </summary>
    public static Tensor RegularizedLoss(AutoencoderNetwork network, ReconstructionLoss loss, Tensor input, Tensor target, CodePenalty penalty,
        double trimFraction = 0)
    {
        var (code, raw) = network.EncodeDecode(input);
        if (trimFraction <= 0) return penalty.AddTo(ReconstructionLossFunctions.Compute(loss, raw, target), code);
        // Robust training: the rows this batch reconstructs worst (likely outliers) are left out of the mean.
        var rows = ReconstructionLossFunctions.PerRow(loss, raw, target);
        long keep = Math.Max(1, rows.shape[0] - (long)Math.Floor(trimFraction * rows.shape[0]));
        return penalty.AddTo(rows.topk((int)keep, largest: false).values.sum() / keep, code);
    }

    public static TrainingSettings Settings(AutoencoderTrainingOptions o) =>
        new(o.Optimizer, o.LearningRate, o.Momentum, o.WeightDecay, o.Epochs, o.LearningRateSchedule, o.EarlyStoppingPatience);

    /// <summary>The loss to train with: <paramref name="requested"/>, or for Auto the one that fits the data's range.</summary>
    public static ReconstructionLoss ResolveLoss(ReconstructionLoss requested, TrainingData data, string column)
    {
        float min = data.Min, max = data.Max;
        bool unit = min >= 0 && max <= 1;
        return requested switch
        {
            ReconstructionLoss.Auto => unit ? ReconstructionLoss.BinaryCrossEntropy : ReconstructionLoss.MeanSquaredError,
            ReconstructionLoss.BinaryCrossEntropy when !unit => throw new InvalidOperationException(
                $"Loss BinaryCrossEntropy needs inputs in [0, 1], but column '{column}' ranges from {min} to {max}. " +
                "Scale the column (e.g. mlContext.Transforms.NormalizeMinMax) or use MeanSquaredError."),
            ReconstructionLoss.MultinomialCrossEntropy when min < 0 => throw new InvalidOperationException(
                $"Loss MultinomialCrossEntropy needs non-negative inputs (counts or proportions), but column '{column}' has values down to {min}."),
            _ => requested,
        };
    }
}
