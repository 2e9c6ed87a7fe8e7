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
    /// <summary>Builds a network given the input length and whether the output goes through a sigmoid.</summary>
    public delegate AutoencoderNetwork NetworkFactory(int inputSize, bool sigmoidOutput);

    /// <summary>Trains a network on <paramref name="column"/>; with <paramref name="corruption"/>, as a denoising autoencoder.</summary>
    public static TrainedNetwork Train(IHost host, IDataView data, string column, AutoencoderOptions options,
        NetworkFactory createNetwork, (CorruptionKind Kind, double Level)? corruption = null, string stage = "Training autoencoder")
    {
        int size = VectorColumn.RequireKnownSizeSingleVector(data.Schema, column);
        int seed = options.Seed ?? host.Rand.Next();
        var cancellation = options.CancellationToken;

        var (trainView, validationView) = Split(data, options.ValidationFraction, seed);
        var trainScan = DataScan.Run(trainView, column, size, cancellation);
        var validationScan = validationView is null ? null : DataScan.Run(validationView, column, size, cancellation);
        if (trainScan.Rows == 0)
            throw new InvalidOperationException(validationScan is { Rows: > 0 }
                ? $"No training rows are left in column '{column}' after holding out ValidationFraction = {options.ValidationFraction}."
                : $"The training data is empty: column '{column}' has no rows.");
        if (validationScan is { Rows: 0 }) validationView = null;

        var loss = ResolveLoss(options.Loss, trainScan, validationScan, column);
        var device = DeviceSelection.Resolve(options.GpuDeviceId, options.FallbackToCpu, host);

        torch.manual_seed(seed);
        var network = createNetwork(size, loss == ReconstructionLoss.BinaryCrossEntropy);
        try
        {
            network.to(device);
            using var trainSource = CreateSource(trainView, column, size, trainScan.Rows, options, seed);
            using var validationSource = validationView is null ? null
                : CreateSource(validationView, column, size, validationScan!.Rows, options, seed + 1);
            using var reporter = new TrainingReporter(host, stage, options.Progress, options.BatchProgress, cancellation);
            reporter.Info($"{stage}: {trainScan.Rows} rows of {size} values" +
                (validationSource is null ? "" : $", {validationScan!.Rows} held out for validation") +
                $", {network.ParameterCount:N0} parameters, loss {loss}, seed {seed}, device {device.type}.");

            var penalty = CodePenalty.From(options);
            var noise = corruption is { } c
                ? new Corruption.Corruption(c.Kind, c.Level, trainScan.Min, trainScan.Max)
                : null;
            var history = TrainingLoop.Run(network, trainSource, validationSource,
                batch => RegularizedLoss(network, loss, noise?.Apply(batch.Features) ?? batch.Features, batch.Features, penalty),
                batch => PlainLoss(network, loss, batch),
                Settings(options), reporter, device);
            network.to(CPU);
            return new TrainedNetwork(network, history, loss, seed, trainScan.Rows);
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
    public static Tensor RegularizedLoss(AutoencoderNetwork network, ReconstructionLoss loss, Tensor input, Tensor target, CodePenalty penalty)
    {
        var code = network.Encode(input);
        return penalty.AddTo(ReconstructionLossFunctions.Compute(loss, network.DecodeRaw(code), target), code);
    }

    public static TrainingSettings Settings(AutoencoderOptions o) =>
        new(o.Optimizer, o.LearningRate, o.Momentum, o.WeightDecay, o.Epochs, o.LearningRateSchedule, o.EarlyStoppingPatience);

    private static (IDataView Train, IDataView? Validation) Split(IDataView data, double fraction, int seed)
    {
        if (fraction <= 0) return (data, null);
        var split = new MLContext(seed).Data.TrainTestSplit(data, testFraction: fraction, seed: seed);
        return (split.TrainSet, split.TestSet);
    }

    private static IBatchSource CreateSource(IDataView view, string column, int size, long rows, AutoencoderOptions options, int seed) =>
        options.CacheInMemory
            ? new InMemoryBatchSource(view, column, size, rows, options.BatchSize, seed)
            : new StreamingBatchSource(view, column, size, rows, options.BatchSize, seed);

    private static ReconstructionLoss ResolveLoss(ReconstructionLoss requested, DataScan train, DataScan? validation, string column)
    {
        float min = Math.Min(train.Min, validation?.Min ?? float.PositiveInfinity);
        float max = Math.Max(train.Max, validation?.Max ?? float.NegativeInfinity);
        bool unit = min >= 0 && max <= 1;
        return requested switch
        {
            ReconstructionLoss.Auto => unit ? ReconstructionLoss.BinaryCrossEntropy : ReconstructionLoss.MeanSquaredError,
            ReconstructionLoss.BinaryCrossEntropy when !unit => throw new InvalidOperationException(
                $"Loss BinaryCrossEntropy needs inputs in [0, 1], but column '{column}' ranges from {min} to {max}. " +
                "Scale the column (e.g. mlContext.Transforms.NormalizeMinMax) or use MeanSquaredError."),
            _ => requested,
        };
    }
}
