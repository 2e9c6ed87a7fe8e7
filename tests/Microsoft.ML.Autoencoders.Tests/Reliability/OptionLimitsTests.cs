using Microsoft.ML.Autoencoders.Tests.Infrastructure;

namespace Microsoft.ML.Autoencoders.Tests.Reliability;

/// <summary>Options an outsider can set to absurd values: each is refused up front naming the option, or handled sensibly.</summary>
public class OptionLimitsTests
{
    private static readonly MLContext Ml = new(seed: 1);
    private static IDataView Rows(int n) => Ml.Data.LoadFromEnumerable(SyntheticData.LowRank(n, seed: 2));

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_batch_larger_than_the_data_trains_on_all_rows_at_once(bool cacheInMemory)
    {
        // Streaming allocated BatchSize × row length floats up front: int.MaxValue overflowed ("Arithmetic operation resulted in an overflow").
        using var model = Ml.Transforms.AutoencoderFeaturizer("Code", "Features",
            new AutoencoderOptions { EncoderLayers = [4], CodeSize = 2, Epochs = 2, BatchSize = int.MaxValue, CacheInMemory = cacheInMemory }).Fit(Rows(50));
        Assert.Equal(2, model.TrainingHistory.Count);
        Assert.All(model.TrainingHistory, e => Assert.True(double.IsFinite(e.TrainLoss)));
    }

    public static TheoryData<string, Action<AutoencoderOptions>> OutOfRangeEnums => new()
    {
        { "Optimizer", o => o.Optimizer = (OptimizerKind)99 },
        { "Loss", o => o.Loss = (ReconstructionLoss)99 },
        { "LearningRateSchedule", o => o.LearningRateSchedule = (LearningRateSchedule)99 },
    };

    [Theory]
    [MemberData(nameof(OutOfRangeEnums))]
    public void Enum_options_outside_their_values_are_refused_before_training(string option, Action<AutoencoderOptions> set)
    {
        var options = new AutoencoderOptions { EncoderLayers = [4], CodeSize = 2, Epochs = 1 };
        set(options);
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => Ml.Transforms.AutoencoderFeaturizer("Code", "Features", options));
        Assert.Contains($"'{option}'", e.Message);
    }

    [Fact]
    public void A_diverging_training_says_when_and_whether_weights_or_data_went_non_finite_first()
    {
        var e = Assert.Throws<InvalidOperationException>(() => Ml.Transforms.AutoencoderFeaturizer("Code", "Features",
            new AutoencoderOptions { EncoderLayers = [8], CodeSize = 2, Epochs = 5, Optimizer = OptimizerKind.SgdMomentum, LearningRate = 1e12, Seed = 1 }).Fit(Rows(200)));
        Assert.Matches(@"diverged at epoch \d+, step \d+: the loss became", e.Message);
        Assert.Matches("Every weight was still finite|Weights no longer finite before this step", e.Message);
        Assert.Contains("the batch was finite", e.Message);
        Assert.Contains("Lower the learning rate", e.Message);
    }

    [Fact]
    public void A_network_too_large_for_memory_is_refused_naming_the_layer_options_before_torch_allocates()
    {
        var dense = Assert.Throws<ArgumentOutOfRangeException>(() => Ml.Transforms.AutoencoderFeaturizer("Code", "Features",
            new AutoencoderOptions { EncoderLayers = [1_000_000_000], CodeSize = 2, Epochs = 1 }).Fit(Rows(20)));
        Assert.Contains("EncoderLayers", dense.Message);
        Assert.Contains("GiB", dense.Message);

        var stacked = Assert.Throws<ArgumentOutOfRangeException>(() => Ml.Transforms.StackedPretrainer("Top", "Features",
            new StackedPretrainerOptions { EncoderLayers = [], CodeSize = 1_000_000_000, FineTuning = StackedFineTuning.None, PretrainingEpochs = 1 }).Fit(Rows(20)));
        Assert.Contains("CodeSize", stacked.Message);

        var conv = Assert.Throws<ArgumentOutOfRangeException>(() => Ml.Transforms.ConvolutionalAutoencoderFeaturizer("Code", "Features",
            new ConvolutionalAutoencoderOptions { ImageHeight = 4, ImageWidth = 4, EncoderLayers = [1_000_000_000], CodeSize = 2, Epochs = 1 }).Fit(Rows(20)));
        Assert.Contains("EncoderLayers", conv.Message);
    }
}
