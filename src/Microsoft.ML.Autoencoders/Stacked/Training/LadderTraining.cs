using Microsoft.ML.Autoencoders.Training;
using Microsoft.ML.Autoencoders.Training.Augmentation;
using Microsoft.ML.Autoencoders.Training.Data;
using Microsoft.ML.Autoencoders.Training.Networks;
using Microsoft.ML.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.Autoencoders.Stacked.Training;

/// <summary>
/// Semi-supervised training of a <see cref="LadderNetwork"/> through the shared training loop: each step joins a
/// mini-batch of all rows (labelled or not) with a mini-batch of labelled rows (drawn in turn, reshuffled at each pass),
/// and minimises the cross-entropy of the corrupted encoder's output on the labelled rows plus, at every layer l,
/// λ_l × the mean squared difference between the decoder's ẑ_l (normalised with the clean batch's statistics) and the
/// clean encoder's z_l — targets without gradient. Afterwards the clean encoder's statistics over the training rows are
/// folded into its affine layers, which gives the stack's encoder (ReLU or the chosen activations after x·Wᵀ + b) and a
/// softmax layer: the same model as supervised fine-tuning, exported and scored the same way.
/// </summary>
internal static class LadderTraining
{
    /// <summary>λ when none are given: Rasmus et al.'s MNIST choice (1000 at the input, 10 at the first hidden layer, 0.1 above).</summary>
    public static double[] DefaultWeights(int layers) => [1000, 10, .. Enumerable.Repeat(0.1, layers - 1)];

    public static StackedTrainingResult Train(IHost host, TrainingData all, LabelledData labelled, ReconstructionLoss loss, PretrainedStack? stack,
        StackedPretrainerOptions o, Augmenter? augment)
    {
        var device = DeviceSelection.Resolve(o.GpuDeviceId, o.FallbackToCpu, host);
        int[] sizes = [all.InputSize, .. o.StackLayersFor(all.InputSize), labelled.Classes];
        double[] lambda = o.LadderReconstructionWeights ?? DefaultWeights(sizes.Length - 1);
        if (lambda.Length != sizes.Length)
            throw new ArgumentOutOfRangeException(nameof(o.LadderReconstructionWeights), $"Option '{nameof(o.LadderReconstructionWeights)}' has {lambda.Length} weights; " +
                $"the ladder {string.Join('-', sizes)} has {sizes.Length} layers (input, {sizes.Length - 2} hidden, output): give one per layer.");
        int lowest = Array.FindIndex(lambda, w => w > 0);
        using var generator = TorchRandomness.Seed(all.Seed);
        using var ladder = new LadderNetwork(sizes, o.Activation, o.CodeActivation);
        if (stack is not null)
            for (int k = 0; k < stack.Encoders.Count; k++) ladder.InitialiseWeight(k + 1, stack.Encoders[k].Weight);
        ladder.to(device);

        string stage = lowest == ladder.Top ? "Training the Γ-model (ladder, top layer only)" : "Training the ladder network";
        using var reporter = new TrainingReporter(host, stage, o);
        reporter.Info($"{stage} {string.Join('-', sizes)}: {all.Train.Rows} rows of which {labelled.Train.Rows} labelled" +
            (labelled.Validation is null ? "" : $" ({labelled.Validation.Rows} more held out for validation)") +
            $", noise {o.LadderNoise:G3}, λ = [{string.Join(", ", lambda.Select(w => w.ToString("G3")))}], seed {all.Seed}.");

        var labelledBatches = new LabelledCycle(labelled.Train);
        try
        {
            Tensor Step(Batch unlabelled)
            {
                var l = labelledBatches.Next();
                var x = cat([l.Features.to(device), unlabelled.Features]);
                if (augment is not null) x = augment.Apply(x);
                return Cost(ladder, x, l.Labels!.to(device), lambda, lowest, o.LadderNoise);
            }
            Tensor Validation(Batch batch) => nn.functional.cross_entropy(ladder.forward(batch.Features), batch.Labels!);
            var history = TrainingLoop.Run(ladder, all.Train, labelled.Validation, Step, Validation, Settings(o, all.Train.Rows), reporter, device);
            ladder.to(CPU);
            var population = PopulationStatistics(ladder, all.Train);
            var (body, softmax) = Fold(ladder, population, all.InputSize, o, ReconstructionOutputs.For(loss));
            long parameters = ladder.parameters().Sum(p => p.numel());
            return new StackedTrainingResult(body, history, loss, all.Seed, all.Train.Rows, stack, softmax, parameters);
        }
        finally
        {
            labelledBatches.Dispose();
        }
    }

    /// <summary>
    /// The ladder's cost on a joined batch whose first <c>labels.shape[0]</c> rows are labelled (normalised apart from the
    /// others): supervised cross-entropy of the corrupted output on them, plus the weighted denoising costs, from layer
    /// <paramref name="lowest"/> up, on the other rows (on all rows when every row is labelled).
    /// </summary>
    public static Tensor Cost(LadderNetwork ladder, Tensor x, Tensor labels, double[] lambda, int lowest, double noise)
    {
        long labelled = labels.shape[0], rows = x.shape[0];
        var (corruptedLogits, corrupted) = ladder.Corrupted(x, noise, labelled);
        var cost = nn.functional.cross_entropy(corruptedLogits.narrow(0, 0, labelled), labels);
        if (lowest < 0) return cost;
        // The targets and the statistics they were normalised with come from the clean pass, without gradient.
        Tensor[] z, mean, std;
        using (no_grad()) (_, z, mean, std) = ladder.Clean(x, null, labelled);
        long from = labelled < rows ? labelled : 0, count = rows - from;
        Tensor Part(Tensor t) => t.narrow(0, from, count);
        var zHat = ladder.Decode(corrupted.Select(Part).ToArray(), Part(corruptedLogits), lowest);
        for (int l = lowest; l < lambda.Length; l++)
        {
            if (lambda[l] == 0) continue;
            var estimate = l == 0 ? zHat[l]! : (zHat[l]! - mean[l]) / std[l];
            cost = cost + lambda[l] * (estimate - Part(z[l])).square().mean();
        }
        return cost;
    }

    private static TrainingSettings Settings(StackedPretrainerOptions o, long rows) =>
        AutoencoderTraining.Settings(o, rows) with { LearningRate = o.FineTuningLearningRate, Epochs = o.FineTuningEpochs };

    /// <summary>
    /// Mean and standard deviation of every layer's clean pre-activations over the training rows, layer by layer (each
    /// layer seen through the layers below normalised with their population statistics, as the folded encoder computes).
    /// </summary>
    public static LadderStatistics PopulationStatistics(LadderNetwork ladder, IBatchSource rows)
    {
        using var noGrad = no_grad();
        var mean = new float[ladder.Sizes.Length][];
        var std = new float[ladder.Sizes.Length][];
        var statistics = new LadderStatistics(mean, std);
        for (int l = 1; l <= ladder.Top; l++)
        {
            var sum = new double[ladder.Sizes[l]];
            var squares = new double[ladder.Sizes[l]];
            long count = 0;
            foreach (var batch in rows.GetBatches(0, shuffle: false))
            {
                using var scope = NewDisposeScope();
                var pre = ladder.PreActivation(batch.Features, l, statistics).to(ScalarType.Float64);
                var s = pre.sum([0]).data<double>().ToArray();
                var q = pre.square().sum([0]).data<double>().ToArray();
                for (int j = 0; j < s.Length; j++) { sum[j] += s[j]; squares[j] += q[j]; }
                count += batch.Rows;
            }
            mean[l] = sum.Select(v => (float)(v / count)).ToArray();
            std[l] = sum.Select((v, j) => (float)Math.Sqrt(Math.Max(squares[j] / count - v / count * (v / count), 0) + LadderNetwork.Epsilon)).ToArray();
        }
        return statistics;
    }

    /// <summary>
    /// The clean encoder with its population statistics folded in: hidden layer l computes act(x·(W/σ)ᵀ + β − μ/σ), the
    /// output γ ⊙ (x·(W/σ)ᵀ + β − μ/σ) — a stack (its decoder unused) and a softmax layer.
    /// </summary>
    public static (DenseAutoencoderNetwork Body, SoftmaxLayer Softmax) Fold(LadderNetwork ladder, LadderStatistics population, int inputSize,
        StackedPretrainerOptions o, ReconstructionOutput output)
    {
        var body = StackedTraining.Unrolled(inputSize, o, null, output);
        try
        {
            for (int l = 1; l < ladder.Top; l++)
            {
                var (weight, bias) = Folded(ladder, population, l, scale: null);
                new LayerWeights(ladder.Sizes[l - 1], ladder.Sizes[l], weight, bias).CopyTo(body.EncoderLayer(l - 1));
            }
            var (w, b) = Folded(ladder, population, ladder.Top, scale: ladder.Gamma());
            int inputs = ladder.Sizes[^2];
            var rows = Enumerable.Range(0, ladder.Sizes[^1]).Select(c => w.AsSpan(c * inputs, inputs).ToArray()).ToArray();
            return (body, new SoftmaxLayer(rows, b));
        }
        catch
        {
            body.Dispose();
            throw;
        }
    }

    private static (float[] Weight, float[] Bias) Folded(LadderNetwork ladder, LadderStatistics population, int l, float[]? scale)
    {
        var weight = ladder.Weight(l);
        var beta = ladder.Beta(l);
        float[] mean = population.Mean[l], std = population.Std[l];
        int outputs = ladder.Sizes[l], inputs = ladder.Sizes[l - 1];
        var bias = new float[outputs];
        for (int j = 0; j < outputs; j++)
        {
            float g = scale?[j] ?? 1f, factor = g / std[j];
            for (int i = 0; i < inputs; i++) weight[j * inputs + i] *= factor;
            bias[j] = g * (beta[j] - mean[j] / std[j]);
        }
        return (weight, bias);
    }

    /// <summary>Labelled batches in turn, without end: a new shuffled pass starts when one ends.</summary>
    private sealed class LabelledCycle(IBatchSource source) : IDisposable
    {
        private IEnumerator<Batch>? _batches;
        private int _pass;

        public Batch Next()
        {
            if (_batches is null || !_batches.MoveNext())
            {
                _batches?.Dispose();
                _batches = source.GetBatches(++_pass, shuffle: true).GetEnumerator();
                if (!_batches.MoveNext()) throw new InvalidOperationException("The labelled rows gave no batch.");
            }
            return _batches.Current;
        }

        public void Dispose() => _batches?.Dispose();
    }
}
