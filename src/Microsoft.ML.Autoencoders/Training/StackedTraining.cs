using Microsoft.ML.Autoencoders.Training.Data;
using Microsoft.ML.Autoencoders.Training.Networks;
using Microsoft.ML.Autoencoders.Training.Regularization;
using Microsoft.ML.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.Autoencoders.Training;

/// <summary>
/// The stacked-autoencoder recipe on top of the shared training code: greedy layer-wise pretraining (each
/// layer a one-hidden-layer, optionally denoising and sparse, autoencoder trained on the codes of the layers
/// below, computed batch by batch), then supervised or unsupervised fine-tuning of the whole stack.
/// </summary>
internal static class StackedTraining
{
    /// <summary>Pretrains every layer of <paramref name="o"/>.HiddenLayers in turn on <paramref name="data"/> (all rows).</summary>
    public static PretrainedStack Pretrain(IHost host, TrainingData data, ReconstructionLoss inputLoss, StackedPretrainerOptions o)
    {
        var sizes = o.HiddenLayers;
        NetworkSize.CheckTrainable(2 * NetworkSize.DenseParameters([data.InputSize, .. sizes]), nameof(o.HiddenLayers));
        using var generator = TorchRandomness.Hold();
        using var stack = new StackedNetwork(data.InputSize, sizes, o.Activation, o.TopActivation);
        stack.eval();
        var encoders = new List<LayerWeights>();
        var decoders = new List<LayerWeights>();
        var histories = new List<IReadOnlyList<EpochReport>>();
        var penalty = new CodePenalty(o.CodeL1Penalty, o.SparsityTarget, o.SparsityWeight);
        (CorruptionKind, double)? corruption = o.CorruptionLevel > 0 ? (o.Corruption, o.CorruptionLevel) : null;

        for (int k = 0; k < sizes.Length; k++)
        {
            int depth = k;
            var layerData = k == 0 ? data : Below(data, stack, depth);
            var loss = k == 0 ? inputLoss : AutoencoderTraining.ResolveLoss(ReconstructionLoss.Auto, layerData, $"layer {k} activations");
            int inputs = layerData.InputSize, outputs = sizes[k];
            var codeActivation = k == sizes.Length - 1 ? o.TopActivation : o.Activation;
            var trained = AutoencoderTraining.TrainOn(host, layerData, loss, o, penalty,
                (size, output) => new DenseAutoencoderNetwork(size, [], outputs, [], o.Activation, codeActivation, output),
                corruption, $"Pretraining layer {k + 1} of {sizes.Length} ({inputs} → {outputs})");
            using var layer = (DenseAutoencoderNetwork)trained.Network;
            var encoder = LayerWeights.From(layer.EncoderLayer(0));
            encoder.CopyTo(stack.Layer(k));
            encoders.Add(encoder);
            decoders.Add(LayerWeights.From(layer.DecoderLayer(0)));
            histories.Add(trained.History);
        }
        return new PretrainedStack(data.InputSize, o.Activation, o.TopActivation, encoders, decoders, histories);
    }

    /// <summary>
    /// Supervised fine-tuning: the stack (pretrained, or random when <paramref name="stack"/> is null) plus a softmax
    /// output layer, trained with cross-entropy on <paramref name="labelled"/>.
    /// </summary>
    public static (StackedNetwork Network, IReadOnlyList<EpochReport> History) FineTuneSupervised(IHost host, IBatchSource labelled,
        int inputSize, int classes, PretrainedStack? stack, StackedPretrainerOptions o, int seed)
    {
        var device = DeviceSelection.Resolve(o.GpuDeviceId, o.FallbackToCpu, host);
        using var generator = TorchRandomness.Seed(seed);
        var network = new StackedNetwork(inputSize, o.HiddenLayers, o.Activation, o.TopActivation, classes, o.FineTuningDropout);
        try
        {
            if (stack is not null) network.Initialise(stack);
            network.to(device);
            string stage = stack is null ? "Training the randomly initialised network on the labelled rows" : "Fine-tuning the pretrained stack on the labelled rows";
            using var reporter = new TrainingReporter(host, stage, o.Progress, o.BatchProgress, o.CancellationToken);
            reporter.Info($"{stage}: {labelled.Rows} labelled rows, {classes} classes, {network.ParameterCount:N0} parameters, seed {seed}.");
            Func<Batch, Tensor> loss = batch => nn.functional.cross_entropy(network.forward(batch.Features), batch.Labels!);
            var history = TrainingLoop.Run(network, labelled, null, loss, loss, FineTuningSettings(o), reporter, device);
            network.to(CPU);
            return (network, history);
        }
        catch
        {
            network.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Unsupervised fine-tuning: the stack unrolled into a deep autoencoder (decoders mirrored, each initialised
    /// from the decoder that pretrained its layer), trained on reconstruction of all rows; returns the encoder half.
    /// </summary>
    public static (StackedNetwork Network, IReadOnlyList<EpochReport> History) FineTuneUnsupervised(IHost host, TrainingData data,
        ReconstructionLoss loss, PretrainedStack stack, StackedPretrainerOptions o)
    {
        var sizes = o.HiddenLayers;
        int n = sizes.Length;
        var trained = AutoencoderTraining.TrainOn(host, data, loss, o, new CodePenalty(0, null, 0), (size, output) =>
            {
                var unrolled = new DenseAutoencoderNetwork(size, sizes[..^1], sizes[^1], [.. sizes[..^1].Reverse()], o.Activation, o.TopActivation, output);
                for (int k = 0; k < n; k++)
                {
                    stack.Encoders[k].CopyTo(unrolled.EncoderLayer(k));
                    stack.Decoders[k].CopyTo(unrolled.DecoderLayer(n - 1 - k));
                }
                return unrolled;
            },
            corruption: o.FineTuningCorruptionLevel > 0 ? (o.Corruption, o.FineTuningCorruptionLevel) : null,
            stage: "Fine-tuning the unrolled deep autoencoder", settings: FineTuningSettings(o));
        using var deep = (DenseAutoencoderNetwork)trained.Network;
        using var generator = TorchRandomness.Hold();
        var network = new StackedNetwork(data.InputSize, sizes, o.Activation, o.TopActivation);
        for (int k = 0; k < n; k++) LayerWeights.From(deep.EncoderLayer(k)).CopyTo(network.Layer(k));
        return (network, trained.History);
    }

    /// <summary>The stack without fine-tuning: the pretrained encoders as they are.</summary>
    public static StackedNetwork FromStack(PretrainedStack stack, StackedPretrainerOptions o)
    {
        using var generator = TorchRandomness.Hold();
        var network = new StackedNetwork(stack.InputSize, o.HiddenLayers, o.Activation, o.TopActivation);
        network.Initialise(stack);
        return network;
    }

    private static TrainingSettings FineTuningSettings(StackedPretrainerOptions o) =>
        new(o.Optimizer, o.FineTuningLearningRate, o.Momentum, o.WeightDecay, o.FineTuningEpochs, o.LearningRateSchedule, o.EarlyStoppingPatience);

    /// <summary>The training data seen through the first <paramref name="depth"/> (frozen) layers, with the range of those activations.</summary>
    private static TrainingData Below(TrainingData data, StackedNetwork stack, int depth)
    {
        Tensor Encode(Tensor x) => stack.Encode(x, depth);
        float min = float.PositiveInfinity, max = float.NegativeInfinity;
        using (var source = new EncodedBatchSource(data.Train, Encode))
        {
            foreach (var batch in source.GetBatches(0, shuffle: false))
            {
                using var scope = NewDisposeScope();
                min = Math.Min(min, batch.Features.min().item<float>());
                max = Math.Max(max, batch.Features.max().item<float>());
            }
        }
        return data.Through(Encode, stack.Layer(depth - 1).weight!.shape[0] is var n ? (int)n : 0, min, max);
    }
}
