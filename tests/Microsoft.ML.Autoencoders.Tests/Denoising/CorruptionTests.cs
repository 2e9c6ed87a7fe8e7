using Microsoft.ML.Autoencoders.Training;
using Microsoft.ML.Autoencoders.Training.Corruption;
using TorchSharp;

namespace Microsoft.ML.Autoencoders.Tests.Denoising;

public class CorruptionTests
{
    private static float[] Corrupt(CorruptionKind kind, double level, float[] values, float min = 0, float max = 1)
    {
        using var generator = TorchRandomness.Seed(1); // the process-wide generator: other test classes train on parallel threads
        using var scope = torch.NewDisposeScope();
        return new Corruption(kind, level, min, max).Apply(torch.tensor(values)).data<float>().ToArray();
    }

    [Fact]
    public void Masking_zeroes_about_the_requested_fraction_and_keeps_the_rest()
    {
        var x = Enumerable.Repeat(0.7f, 20000).ToArray();
        var y = Corrupt(CorruptionKind.Masking, 0.3, x);
        Assert.InRange(y.Count(v => v == 0) / 20000.0, 0.28, 0.32);
        Assert.All(y, v => Assert.True(v == 0 || v == 0.7f));
    }

    [Fact]
    public void Gaussian_noise_has_the_requested_spread_and_is_clipped_to_the_data_range()
    {
        var x = Enumerable.Repeat(0f, 20000).ToArray();
        var wide = Corrupt(CorruptionKind.Gaussian, 0.5, x, min: -100, max: 100);
        double sd = Math.Sqrt(wide.Average(v => (double)v * v));
        Assert.InRange(sd, 0.48, 0.52);
        var clipped = Corrupt(CorruptionKind.Gaussian, 0.5, x, min: 0, max: 1);
        Assert.All(clipped, v => Assert.InRange(v, 0f, 1f));
    }

    [Fact]
    public void Salt_and_pepper_sets_the_fraction_to_min_or_max_half_each()
    {
        var x = Enumerable.Repeat(0.5f, 20000).ToArray();
        var y = Corrupt(CorruptionKind.SaltAndPepper, 0.2, x, min: -1, max: 2);
        Assert.InRange(y.Count(v => v != 0.5f) / 20000.0, 0.18, 0.22);
        Assert.All(y, v => Assert.True(v is 0.5f or -1f or 2f));
        Assert.InRange(y.Count(v => v == 2f) / (double)y.Count(v => v != 0.5f), 0.45, 0.55);
    }

    [Fact]
    public void Same_seed_same_noise()
    {
        var x = Enumerable.Range(0, 100).Select(i => i / 100f).ToArray();
        Assert.Equal(Corrupt(CorruptionKind.Masking, 0.5, x), Corrupt(CorruptionKind.Masking, 0.5, x));
    }
}
