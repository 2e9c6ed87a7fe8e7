using Microsoft.ML.Autoencoders.Training.Optimizers;
using TorchSharp;
using static TorchSharp.torch;

namespace AutoencoderBenchmarks;

/// <summary>
/// The reference: the smallest honest TorchSharp training loop for the same network (Linear + ReLU stack,
/// linear code, logits + BCE), optimiser (Adam), batch size and data (one tensor already in memory).
/// </summary>
internal static class RawTorchSharpLoop
{
    /// <summary>Linear + ReLU layers of these sizes, with a linear code layer and a linear (logit) output.</summary>
    private static nn.Module<Tensor, Tensor> Network(int[] sizes, int seed)
    {
        torch.manual_seed(seed);
        var layers = new List<(string, nn.Module<Tensor, Tensor>)>();
        for (int i = 0; i + 1 < sizes.Length; i++)
        {
            layers.Add(($"l{i}", nn.Linear(sizes[i], sizes[i + 1])));
            bool codeLayer = i == sizes.Length / 2 - 1, outputLayer = i == sizes.Length - 2;
            if (!codeLayer && !outputLayer) layers.Add(($"a{i}", nn.ReLU()));
        }
        return nn.Sequential(layers);
    }

    /// <summary>Samples/s of the loop; <paramref name="fusedAdam"/> swaps libtorch's Adam for the library's one-pass CPU Adam (same arithmetic).</summary>
    public static double SamplesPerSecond(Tensor data, int[] sizes, int batchSize, int epochs, int seed, bool fusedAdam = false)
    {
        using var model = Network(sizes, seed);
        var parameters = model.parameters().ToArray();
        using TrainingOptimizer optimizer = fusedAdam ? new FusedAdam(parameters, 1e-3, 0) : TrainingOptimizer.Wrap(optim.Adam(parameters, 1e-3));
        long n = data.shape[0];
        var clock = System.Diagnostics.Stopwatch.StartNew();
        for (int epoch = 0; epoch < epochs; epoch++)
        {
            using var perm = randperm(n);
            for (long start = 0; start < n; start += batchSize)
            {
                using var scope = NewDisposeScope();
                var x = data.index_select(0, perm.narrow(0, start, Math.Min(batchSize, n - start)));
                optimizer.ZeroGrad();
                var loss = nn.functional.binary_cross_entropy_with_logits(model.forward(x), x, reduction: nn.Reduction.Sum) / x.shape[0];
                loss.backward();
                optimizer.Step();
                loss.item<float>();
            }
        }
        return n * epochs / clock.Elapsed.TotalSeconds;
    }

    /// <summary>
    /// Where one epoch of that loop spends its time: seconds in the batch gather, forward pass, loss, backward pass,
    /// optimiser step and loss read-back, plus .NET GC pause time (libtorch runs synchronously on the CPU, so a
    /// stopwatch around each call measures it).
    /// </summary>
    public static (string Phase, double Seconds)[] Profile(Tensor data, int[] sizes, int batchSize, int seed, bool fusedAdam)
    {
        using var model = Network(sizes, seed);
        var parameters = model.parameters().ToArray();
        using TrainingOptimizer optimizer = fusedAdam ? new FusedAdam(parameters, 1e-3, 0) : TrainingOptimizer.Wrap(optim.Adam(parameters, 1e-3));
        long n = data.shape[0];
        var phases = new double[6];
        var gcBefore = GC.GetTotalPauseDuration();
        long Mark(int phase, long since)
        {
            long now = System.Diagnostics.Stopwatch.GetTimestamp();
            phases[phase] += (now - since) / (double)System.Diagnostics.Stopwatch.Frequency;
            return now;
        }
        using var perm = randperm(n);
        for (long start = 0; start < n; start += batchSize)
        {
            using var scope = NewDisposeScope();
            long t = System.Diagnostics.Stopwatch.GetTimestamp();
            var x = data.index_select(0, perm.narrow(0, start, Math.Min(batchSize, n - start)));
            t = Mark(0, t);
            optimizer.ZeroGrad();
            var output = model.forward(x);
            t = Mark(1, t);
            var loss = nn.functional.binary_cross_entropy_with_logits(output, x, reduction: nn.Reduction.Sum) / x.shape[0];
            t = Mark(2, t);
            loss.backward();
            t = Mark(3, t);
            optimizer.Step();
            t = Mark(4, t);
            loss.item<float>();
            Mark(5, t);
        }
        return [("batch gather", phases[0]), ("forward", phases[1]), ("loss", phases[2]), ("backward", phases[3]), ("optimiser step", phases[4]),
            ("loss read-back", phases[5]), (".NET GC pauses", (GC.GetTotalPauseDuration() - gcBefore).TotalSeconds)];
    }
}
