using System.Diagnostics;
using static TorchSharp.torch;

namespace AutoencoderBenchmarks;

/// <summary>FLOP counting and the machine's practical ceiling (torch.mm on 2048×2048, fp32).</summary>
internal static class ComputeEfficiency
{
    /// <summary>Weights (multiply-adds per sample in one forward pass) of a dense stack with these layer sizes.</summary>
    public static long Weights(IReadOnlyList<int> sizes)
    {
        long total = 0;
        for (int i = 0; i + 1 < sizes.Count; i++) total += (long)sizes[i] * sizes[i + 1];
        return total;
    }

    /// <summary>Training FLOPs per sample: 2 per weight forward, 4 backward.</summary>
    public static double TrainingFlopsPerSample(IReadOnlyList<int> sizes) => 6.0 * Weights(sizes);

    /// <summary>GFLOP/s of torch.mm on two 2048×2048 matrices, best of several repetitions.</summary>
    public static double MatmulPeakGflops()
    {
        using var a = randn(2048, 2048);
        using var b = randn(2048, 2048);
        using (var warm = mm(a, b)) { }
        double best = 0;
        for (int rep = 0; rep < 8; rep++)
        {
            var clock = Stopwatch.StartNew();
            using var c = mm(a, b);
            c.sum().item<float>();
            best = Math.Max(best, 2.0 * 2048 * 2048 * 2048 / clock.Elapsed.TotalSeconds / 1e9);
        }
        return best;
    }

    /// <summary>
    /// GFLOP/s of exactly the matrix products one training step of a dense stack with these layer sizes does at
    /// <paramref name="batch"/> rows (per layer: x·Wᵀ forward, dY·W and dYᵀ·x backward), with nothing else between them:
    /// the most the training loop could reach at this recipe, whatever the rest of the step costs. Best of five timings.
    /// </summary>
    public static double TrainingGemmGflops(IReadOnlyList<int> sizes, int batch, int steps = 20)
    {
        using var scope = NewDisposeScope();
        var layers = Enumerable.Range(0, sizes.Count - 1)
            .Select(i => (X: randn(batch, sizes[i]), W: randn(sizes[i + 1], sizes[i]), DY: randn(batch, sizes[i + 1]))).ToArray();
        void Step()
        {
            using var stepScope = NewDisposeScope();
            foreach (var (x, w, dy) in layers)
            {
                mm(x, w.t());
                mm(dy, w);
                mm(dy.t(), x);
            }
        }
        Step();
        double best = 0, flops = TrainingFlopsPerSample(sizes) * batch;
        for (int rep = 0; rep < 5; rep++)
        {
            var clock = Stopwatch.StartNew();
            for (int s = 0; s < steps; s++) Step();
            best = Math.Max(best, steps * flops / clock.Elapsed.TotalSeconds / 1e9);
        }
        return best;
    }
}
