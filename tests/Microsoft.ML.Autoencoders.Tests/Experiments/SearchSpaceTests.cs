using Microsoft.ML.Autoencoders.Experiments;

namespace Microsoft.ML.Autoencoders.Tests.Experiments;

public class SearchSpaceTests
{
    private static ParameterSpace Space() => new ParameterSpace()
        .Float("Rate", 1e-4, 1e-1, log: true)
        .Float("Level", 0.1, 0.5)
        .Int("Size", 2, 5)
        .Int("Width", 16, 1024, log: true)
        .Choice("Family", ("dense", null), ("denoising", new ParameterSpace().Float("Noise", 0, 1)));

    [Fact]
    public void Points_decode_to_values_in_range_with_the_right_spread()
    {
        var space = Space();
        Assert.Equal(6, space.Dimension);
        Assert.Equal(["Rate", "Level", "Size", "Width", "Family", "Noise"], space.Names);
        var random = new Random(1);
        var samples = Enumerable.Range(0, 4000).Select(_ => space.Decode(Enumerable.Range(0, 6).Select(_ => random.NextDouble()).ToArray())).ToArray();
        Assert.All(samples, p => Assert.InRange(p.Get<double>("Rate"), 1e-4, 1e-1));
        Assert.All(samples, p => Assert.InRange(p.Get<double>("Level"), 0.1, 0.5));
        // Log scale: a quarter of the draws per decade of the three (1e-4..1e-3, 1e-3..1e-2, 1e-2..1e-1) ~ one third each.
        Assert.InRange(samples.Count(p => p.Get<double>("Rate") < 1e-3) / 4000.0, 0.30, 0.37);
        // Integers: both ends included, equally likely.
        var sizes = samples.GroupBy(p => p.Get<int>("Size")).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal([2, 3, 4, 5], sizes.Keys.Order());
        Assert.All(sizes.Values, n => Assert.InRange(n, 850, 1150));
        Assert.Contains(samples, p => p.Get<int>("Width") == 1024);
        // Nesting: Noise exists only when the choice brings it.
        Assert.All(samples, p => Assert.Equal(p.Get<string>("Family") == "denoising", p.Has("Noise")));
        Assert.InRange(samples.Count(p => p.Has("Noise")) / 4000.0, 0.45, 0.55);
    }

    [Fact]
    public void Ends_of_the_cube_map_to_the_ends_of_the_ranges_and_bad_spaces_are_refused()
    {
        var space = Space();
        var low = space.Decode([0, 0, 0, 0, 0, 0]);
        var high = space.Decode([1, 1, 1, 1, 0.99, 1]);
        Assert.Equal(1e-4, low.Get<double>("Rate"), 10);
        Assert.Equal(2, low.Get<int>("Size"));
        Assert.Equal(5, high.Get<int>("Size"));
        Assert.Equal(1024, high.Get<int>("Width"));
        Assert.Equal("denoising", high.Get<string>("Family"));
        Assert.Throws<ArgumentException>(() => space.Decode([0.5]));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ParameterSpace().Float("Rate", 0, 1, log: true));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ParameterSpace().Int("Size", 5, 2));
        Assert.Throws<ArgumentException>(() => new ParameterSpace().Int("Size", 1, 2).Float("Size", 0, 1));
        var missing = Assert.Throws<KeyNotFoundException>(() => low.Get<double>("Noise"));
        Assert.Contains("'Noise'", missing.Message);
    }

    [Fact]
    public void The_default_space_builds_every_family()
    {
        var ml = new MLContext(seed: 1);
        var space = AutoencoderSearchSpace.Default(convolutional: true);
        var random = new Random(2);
        var families = new HashSet<string>();
        for (int i = 0; i < 200; i++)
        {
            var p = space.Decode(Enumerable.Range(0, space.Dimension).Select(_ => random.NextDouble()).ToArray());
            var estimator = AutoencoderSearchSpace.CreateEstimator(ml, new TrialContext(i, p, 1.0 / 3, 1, default), "Code", "Pixels", image: new ImageShape(1, 28, 28));
            families.Add(p.Get<string>("Family"));
            Assert.NotNull(estimator);
        }
        Assert.Equal(new[] { "convolutional", "dense", "denoising", "stacked" }.Order(), families.Order());
    }

    [Fact]
    public void Declared_defaults_decode_back_and_undeclared_settings_sit_at_the_centre()
    {
        var space = new ParameterSpace()
            .Float("Rate", 1e-4, 1e-1, log: true)
            .Int("Size", 2, 5)
            .Int("Width", 64, 1024, log: true)
            .Float("Noise", 0, 1)
            .Choice("Family", ("dense", null), ("denoising", new ParameterSpace().Float("Level", 0.1, 0.6)), ("stacked", null));
        Assert.Equal(space.Centre(), space.DefaultPoint());

        space.WithDefault("Rate", 1e-3).WithDefault("Size", 5).WithDefault("Width", 261).WithDefault("Family", "denoising").WithDefault("Level", 0.25);
        var p = space.Decode(space.DefaultPoint());
        Assert.Equal(1e-3, p.Get<double>("Rate"), 12);
        Assert.Equal(5, p.Get<int>("Size"));
        Assert.Equal(261, p.Get<int>("Width"));
        Assert.Equal("denoising", p.Get<string>("Family"));
        Assert.Equal(0.25, p.Get<double>("Level"), 12);
        Assert.Equal(0.5, p.Get<double>("Noise"), 12); // no default declared: the centre

        // Every integer of a log range decodes back from its default coordinate.
        for (int w = 64; w <= 1024; w++)
        {
            var widths = new ParameterSpace().Int("Width", 64, 1024, log: true).WithDefault("Width", w);
            Assert.Equal(w, widths.Decode(widths.DefaultPoint()).Get<int>("Width"));
        }

        Assert.Contains("'Depth'", Assert.Throws<ArgumentException>(() => space.WithDefault("Depth", 1)).Message);
        Assert.Contains("'Size'", Assert.Throws<ArgumentOutOfRangeException>(() => space.WithDefault("Size", 6)).Message);
        Assert.Contains("not one of its choices", Assert.Throws<ArgumentException>(() => space.WithDefault("Family", "sparse")).Message);
        Assert.Contains("'Rate' is not a number", Assert.Throws<ArgumentException>(() => space.WithDefault("Rate", "fast")).Message);
    }

    [Fact]
    public void The_default_space_starts_from_the_library_defaults()
    {
        var space = AutoencoderSearchSpace.Default(maxEpochs: 30, inputSize: 784);
        var p = space.Decode(space.DefaultPoint());
        Assert.Equal("dense", p.Get<string>("Family"));
        Assert.Equal(AutoencoderFeaturizer.Defaults.CodeSize, p.Get<int>("CodeSize"));
        Assert.Equal(1, p.Get<int>("Depth"));
        Assert.Equal(AutoencoderFeaturizer.Defaults.AutomaticEncoderLayers(784)[0], p.Get<int>("Width"));
        Assert.Equal(AutoencoderFeaturizer.Defaults.Activation, p.Get<ActivationFunction>("Activation"));
        Assert.Equal("none", p.Get<string>("Sparsity"));
        Assert.Equal(AutoencoderTrainingOptions.Defaults.LearningRate, p.Get<double>("LearningRate"), 12);
        Assert.Equal(30, p.Get<int>("Epochs"));
    }
}
