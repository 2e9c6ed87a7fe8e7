using Microsoft.ML.Autoencoders.Training.Augmentation;
using Microsoft.ML.Autoencoders.Training.Data;
using Microsoft.ML.Autoencoders.Training.Networks;
using Microsoft.ML.Autoencoders.Training.Objectives;
using Microsoft.ML.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.Autoencoders.Training;

/// <summary>
/// A trained network with what was learned about training it. Drivers that train more (a stack's layers, a classifier)
/// derive from it; <paramref name="ParameterCount"/> overrides the network's own count when training used other parameters (a classifier's output layer).
/// </summary>
internal record TrainedNetwork(AutoencoderNetwork Network, IReadOnlyList<EpochReport> History, ReconstructionLoss Loss, int Seed, long TrainingRows,
    long? ParameterCount = null);

/// <summary>
/// From an IDataView column and <see cref="AutoencoderOptions"/> to a trained network: schema and data
/// checks, seed, device, validation split, batch sources, loss choice, the objective the options describe, then the
/// shared <see cref="TrainingLoop"/>. Every autoencoder estimator goes through here; a family supplies its network.
/// </summary>
internal static class AutoencoderTraining
{
    /// <summary>Builds a network given the input length and the output its loss needs.</summary>
    public delegate AutoencoderNetwork NetworkFactory(int inputSize, ReconstructionOutput output);

    /// <summary>Trains a network on <paramref name="column"/> with the objective <paramref name="options"/> describe.</summary>
    public static TrainedNetwork Train(IHost host, IDataView data, string column, AutoencoderOptions options, NetworkFactory createNetwork, string stage)
    {
        using var prepared = TrainingData.Prepare(data, column, options, options.Seed ?? host.Rand.Next());
        var loss = ResolveLoss(options.Loss, prepared, column);
        var objective = TrainingObjective.From(options, loss, prepared, Augmenter.For(options.Augmentation, data.Schema, column), options.CorruptionLevel);
        using var monitor = MonitorRows(options, column, prepared.InputSize);
        return TrainOn(host, prepared, objective, createNetwork, stage, Settings(options, prepared.Train.Rows), options, monitor);
    }

    /// <summary>The rows of <see cref="AutoencoderTrainingOptions.MonitorData"/> as batches (checked like training rows), or null.</summary>
    public static IBatchSource? MonitorRows(AutoencoderTrainingOptions options, string column, int inputSize)
    {
        if (options.MonitorData is not { } view) return null;
        int size = VectorColumn.RequireKnownSizeSingleVector(view.Schema, column);
        if (size != inputSize)
            throw new ArgumentOutOfRangeException(nameof(options.MonitorData), $"Option 'MonitorData' has {size} values per row in column '{column}'; the training rows have {inputSize}.");
        var scan = DataScan.Run(view, column, size, options.CancellationToken);
        return new InMemoryBatchSource(view, column, size, scan.Rows, options.BatchSizeFor(scan.Rows), 0);
    }

    /// <summary>
    /// Trains a new network on already prepared batches (the stacked pretrainer feeds each layer the codes of
    /// the layers below this way). The caller keeps ownership of <paramref name="data"/>.
    /// </summary>
    public static TrainedNetwork TrainOn(IHost host, TrainingData data, TrainingObjective objective, NetworkFactory createNetwork, string stage,
        TrainingSettings settings, AutoencoderTrainingOptions run, IBatchSource? monitor = null)
    {
        var device = DeviceSelection.Resolve(run.GpuDeviceId, run.FallbackToCpu, host);
        using var generator = TorchRandomness.Seed(data.Seed);
        var network = createNetwork(data.InputSize, ReconstructionOutputs.For(objective.Loss));
        try
        {
            network.to(device);
            using var reporter = new TrainingReporter(host, stage, run);
            reporter.Info($"{stage}: {data.Train.Rows} rows of {data.InputSize} values" +
                (data.Validation is null ? "" : $", {data.Validation.Rows} held out for validation") +
                $", {network.ParameterCount:N0} parameters, loss {objective.Loss}, seed {data.Seed}, device {device.type}.");
            var history = TrainingLoop.Run(network, data.Train, data.Validation,
                batch => objective.Training(network, batch), batch => objective.Validation(network, batch), settings, reporter, device,
                monitor is null ? null : (monitor, batch => objective.SquaredError(network, batch)), run.MonitorEvery);
            network.to(CPU);
            return new TrainedNetwork(network, history, objective.Loss, data.Seed, data.Train.Rows);
        }
        catch
        {
            network.Dispose();
            throw;
        }
    }

    /// <summary>The optimisation settings of <paramref name="o"/> for <paramref name="trainingRows"/> rows (automatic epochs resolved).</summary>
    public static TrainingSettings Settings(AutoencoderTrainingOptions o, long trainingRows) =>
        new(o.Optimizer, o.LearningRate, o.Momentum, o.WeightDecay, o.EpochsFor(trainingRows), o.LearningRateSchedule, o.EarlyStoppingPatience);

    /// <summary>The loss to train with: <paramref name="requested"/>, or for Auto the one that fits the data's range.</summary>
    public static ReconstructionLoss ResolveLoss(ReconstructionLoss requested, TrainingData data, string column) => ResolveLoss(requested, data.Min, data.Max, column);

    /// <summary>The loss to train with for values from <paramref name="min"/> to <paramref name="max"/>.</summary>
    public static ReconstructionLoss ResolveLoss(ReconstructionLoss requested, float min, float max, string column)
    {
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
