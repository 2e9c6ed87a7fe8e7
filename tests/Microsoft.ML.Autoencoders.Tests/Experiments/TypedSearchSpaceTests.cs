using Microsoft.ML.Autoencoders.Experiments;

namespace Microsoft.ML.Autoencoders.Tests.Experiments;

/// <summary>An options class with range / choice attributes as a search space, and a trial's parameters back as that class.</summary>
public class TypedSearchSpaceTests
{
    public sealed class Trial
    {
        [Range(4, 128, LogBase = true)] public int CodeSize { get; set; } = 32;
        [Range(1e-4, 1e-2, LogBase = true)] public double LearningRate { get; set; } = 1e-3;
        [Choice("dense", "denoising")] public string Family { get; set; } = "dense";
        [Range(0.05, 0.5), ActiveWhen(nameof(Family), "denoising")] public double CorruptionLevel { get; set; } = 0.3;
        [Choice(ActivationFunction.ReLU, ActivationFunction.Tanh)] public ActivationFunction Activation { get; set; } = ActivationFunction.Tanh;
        public string NotSearched { get; set; } = "kept";
    }

    [Fact]
    public void Attributes_give_the_space_its_defaults_and_points_come_back_typed()
    {
        var space = ParameterSpace.Of<Trial>();
        Assert.Equal(["CodeSize", "LearningRate", "Family", "CorruptionLevel", "Activation"], space.Names);
        // The declared defaults are the initial values.
        var defaults = space.Decode(space.DefaultPoint()).As<Trial>();
        Assert.Equal(32, defaults.CodeSize);
        Assert.Equal(1e-3, defaults.LearningRate, 9);
        Assert.Equal("dense", defaults.Family);
        Assert.Equal(ActivationFunction.Tanh, defaults.Activation);
        // Random points: every value in its range; the nested setting only with its family, else the initial value.
        var tuner = new RandomSearchTuner(space, 5);
        var trials = Enumerable.Range(0, 300).Select(i => space.Decode(tuner.Propose(i).Point).As<Trial>()).ToArray();
        Assert.All(trials, t =>
        {
            Assert.InRange(t.CodeSize, 4, 128);
            Assert.InRange(t.LearningRate, 1e-4, 1e-2);
            Assert.Equal("kept", t.NotSearched);
            if (t.Family == "dense") Assert.Equal(0.3, t.CorruptionLevel);
            else Assert.InRange(t.CorruptionLevel, 0.05, 0.5);
        });
        Assert.Contains(trials, t => t.Family == "denoising" && t.CorruptionLevel != 0.3);
        Assert.Contains(trials, t => t.Activation == ActivationFunction.ReLU);
    }

    public sealed class BadNesting
    {
        [Choice("a", "b")] public string Kind { get; set; } = "a";
        [Range(0, 1), ActiveWhen(nameof(Kind), "c")] public double Level { get; set; }
    }

    public sealed class Empty
    {
        public int Plain { get; set; }
    }

    [Fact]
    public void Declarations_that_cannot_be_searched_are_named()
    {
        Assert.Contains("'c'", Assert.Throws<ArgumentException>(() => ParameterSpace.Of<BadNesting>()).Message);
        Assert.Contains(nameof(Empty), Assert.Throws<ArgumentException>(() => ParameterSpace.Of<Empty>()).Message);
    }

    [Fact]
    public void The_default_autoencoder_space_reads_back_as_typed_settings()
    {
        var space = AutoencoderSearchSpace.Default(maxEpochs: 20, inputSize: 784);
        var settings = space.Decode(space.DefaultPoint()).As<AutoencoderTrialSettings>();
        Assert.Equal("dense", settings.Family);
        Assert.Equal(AutoencoderFeaturizer.Defaults.CodeSize, settings.CodeSize);
        Assert.Equal(20, settings.Epochs);
        Assert.Equal("none", settings.Sparsity);
    }
}
