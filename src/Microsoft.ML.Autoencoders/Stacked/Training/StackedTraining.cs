using Microsoft.ML.Autoencoders.Training;
using Microsoft.ML.Autoencoders.Training.Augmentation;
using Microsoft.ML.Autoencoders.Training.Data;
using Microsoft.ML.Autoencoders.Training.Networks;
using Microsoft.ML.Autoencoders.Training.Objectives;
using Microsoft.ML.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.Autoencoders.Stacked.Training;

/// <summary>What stacked training produced beyond the network: the pretrained layers and, when supervised, the softmax layer.</summary>
internal sealed record StackedTrainingResult(DenseAutoencoderNetwork Stack, IReadOnlyList<EpochReport> FineTuningHistory, ReconstructionLoss InputLoss, int TrainingSeed,
    long Rows, PretrainedStack? Pretrained, SoftmaxLayer? Softmax, long? TrainedParameters = null)
    : TrainedNetwork(Stack, FineTuningHistory, InputLoss, TrainingSeed, Rows, TrainedParameters);

/// <summary>
/// The stacked-autoencoder recipe as a driver of the shared training code: greedy layer-wise pretraining (each layer a
/// one-hidden-layer autoencoder trained, with the objective the options describe, on the codes of the layers below,
/// computed batch by batch), then fine-tuning of the whole stack — unrolled into one deep autoencoder (the network every
/// dense family uses), or with a softmax layer on top of its encoder.
/// </summary>
internal static class StackedTraining
{
    /// <summary>Pretrains every layer of the stack in turn on <paramref name="data"/> (all rows).</summary>
    public static PretrainedStack Pretrain(IHost host, TrainingData data, ReconstructionLoss inputLoss, StackedPretrainerOptions o, Augmenter? augment)
    {
        var sizes = o.StackLayersFor(data.InputSize);
        NetworkSize.CheckTrainable(2 * NetworkSize.DenseParameters([data.InputSize, .. sizes]), $"{nameof(o.EncoderLayers)} and {nameof(o.CodeSize)}");
        var encoders = new List<LayerWeights>();
        var decoders = new List<LayerWeights>();
        var histories = new List<IReadOnlyList<EpochReport>>();
        for (int k = 0; k < sizes.Length; k++)
        {
            using var frozen = k == 0 ? null : new FrozenLayers(encoders, o.Activation);
            using var below = frozen is null ? null : Below(data, frozen);
            var layerData = below ?? data;
            var loss = k == 0 ? inputLoss : AutoencoderTraining.ResolveLoss(ReconstructionLoss.Auto, layerData, $"layer {k} activations");
            int inputs = layerData.InputSize, outputs = sizes[k];
            var codeActivation = k == sizes.Length - 1 ? o.CodeActivation : o.Activation;
            var trained = AutoencoderTraining.TrainOn(host, layerData, TrainingObjective.From(o, loss, layerData, k == 0 ? augment : null, o.CorruptionLevel),
                (size, output) => new DenseAutoencoderNetwork(size, [], outputs, [], o.Activation, codeActivation, output),
                $"Pretraining layer {k + 1} of {sizes.Length} ({inputs} → {outputs})", AutoencoderTraining.Settings(o, layerData.Train.Rows), o);
            using var layer = (DenseAutoencoderNetwork)trained.Network;
            encoders.Add(LayerWeights.From(layer.EncoderLayer(0)));
            decoders.Add(LayerWeights.From(layer.DecoderLayer(0)));
            histories.Add(trained.History);
        }
        return new PretrainedStack(data.InputSize, o.Activation, o.CodeActivation, encoders, decoders, histories);
    }

    /// <summary>
    /// The stack unrolled into a deep autoencoder (decoders mirrored, each initialised from the decoder that pretrained its
    /// layer); randomly initialised where <paramref name="stack"/> is null.
    /// </summary>
    public static DenseAutoencoderNetwork Unrolled(int inputSize, StackedPretrainerOptions o, PretrainedStack? stack, ReconstructionOutput output)
    {
        var network = DenseAutoencoderNetwork.FromOptions(inputSize, o, output);
        if (stack is null) return network;
        int n = stack.Encoders.Count;
        for (int k = 0; k < n; k++)
        {
            stack.Encoders[k].CopyTo(network.EncoderLayer(k));
            stack.Decoders[k].CopyTo(network.DecoderLayer(n - 1 - k));
        }
        return network;
    }

    /// <summary>Unsupervised fine-tuning: the unrolled stack trained on reconstruction of all rows (optionally denoising), through the shared training.</summary>
    public static StackedTrainingResult FineTuneUnsupervised(IHost host, TrainingData data, string column, ReconstructionLoss loss, PretrainedStack stack, StackedPretrainerOptions o, Augmenter? augment)
    {
        var objective = TrainingObjective.From(o, loss, data, augment, o.FineTuningCorruptionLevel, withPenalties: false);
        using var monitor = AutoencoderTraining.MonitorRows(o, column, data.InputSize);
        var trained = AutoencoderTraining.TrainOn(host, data, objective, (size, output) => Unrolled(size, o, stack, output),
            "Fine-tuning the unrolled deep autoencoder", FineTuningSettings(o, data.Train.Rows), o, monitor);
        return new StackedTrainingResult((DenseAutoencoderNetwork)trained.Network, trained.History, loss, data.Seed, data.Train.Rows, stack, null);
    }

    /// <summary>The stack without fine-tuning: the pretrained layers as they are.</summary>
    public static StackedTrainingResult AsPretrained(TrainingData data, ReconstructionLoss loss, PretrainedStack stack, StackedPretrainerOptions o)
    {
        using var generator = TorchRandomness.Seed(data.Seed);
        return new StackedTrainingResult(Unrolled(data.InputSize, o, stack, ReconstructionOutputs.For(loss)), [], loss, data.Seed, data.Train.Rows, stack, null);
    }

    /// <summary>
    /// Supervised fine-tuning: the stack's encoder (pretrained, or random when <paramref name="stack"/> is null) plus a
    /// softmax output layer, trained with cross-entropy on the labelled rows, with validation and early stopping when
    /// <see cref="AutoencoderTrainingOptions.ValidationFraction"/> is set.
    /// </summary>
    public static StackedTrainingResult FineTuneSupervised(IHost host, LabelledData data, ReconstructionLoss loss, PretrainedStack? stack, StackedPretrainerOptions o, Augmenter? augment)
    {
        var device = DeviceSelection.Resolve(o.GpuDeviceId, o.FallbackToCpu, host);
        using var generator = TorchRandomness.Seed(data.Seed);
        var body = Unrolled(data.InputSize, o, stack, ReconstructionOutputs.For(loss));
        try
        {
            using var classifier = new SoftmaxClassifier(body, data.Classes, o.FineTuningDropout);
            classifier.to(device);
            string stage = stack is null ? "Training the randomly initialised network on the labelled rows" : "Fine-tuning the pretrained stack on the labelled rows";
            using var reporter = new TrainingReporter(host, stage, o);
            reporter.Info($"{stage}: {data.Train.Rows} labelled rows" + (data.Validation is null ? "" : $" ({data.Validation.Rows} more held out for validation)") +
                $", {data.Classes} classes, {classifier.ParameterCount:N0} parameters, seed {data.Seed}.");
            Tensor CrossEntropy(Tensor rows, Batch batch) => nn.functional.cross_entropy(classifier.forward(rows), batch.Labels!);
            var history = TrainingLoop.Run(classifier, data.Train, data.Validation,
                batch => CrossEntropy(augment?.Apply(batch.Features) ?? batch.Features, batch), batch => CrossEntropy(batch.Features, batch),
                FineTuningSettings(o, data.Train.Rows), reporter, device);
            classifier.to(CPU);
            return new StackedTrainingResult(body, history, loss, data.Seed, data.Train.Rows, stack, classifier.OutputLayer(), classifier.ParameterCount);
        }
        catch
        {
            body.Dispose();
            throw;
        }
    }

    private static TrainingSettings FineTuningSettings(StackedPretrainerOptions o, long trainingRows) =>
        AutoencoderTraining.Settings(o, trainingRows) with { LearningRate = o.FineTuningLearningRate, Epochs = o.FineTuningEpochs };

    /// <summary>The training data seen through the <paramref name="frozen"/> layers pretrained so far, with the range of their activations (the next layer's loss follows it).</summary>
    private static TrainingData Below(TrainingData data, FrozenLayers frozen)
    {
        Tensor Encode(Tensor x) => frozen.Encode(x);
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
        return data.Through(Encode, frozen.OutputSize, min, max);
    }
}
