using Microsoft.ML.Autoencoders.Tests.Infrastructure;
using Microsoft.ML.Autoencoders.Training.Augmentation;
using Microsoft.ML.Data;

namespace Microsoft.ML.Autoencoders.Tests.Featurizer;

/// <summary>The defaults that adapt to the data: batch size and epochs from the row count, augmentation for image columns only.</summary>
public class AdaptiveDefaultsTests
{
    private sealed class ImageRow
    {
        [VectorType(1, 12, 12)]
        public float[] Pixels { get; set; } = [];
    }

    private sealed class TinyImageRow
    {
        [VectorType(1, 4, 4)]
        public float[] Pixels { get; set; } = [];
    }

    private sealed class FlatRow
    {
        [VectorType(144)]
        public float[] Pixels { get; set; } = [];
    }

    private static DataViewSchema Schema<T>() where T : class => new MLContext().Data.LoadFromEnumerable(Array.Empty<T>()).Schema;

    [Theory]
    [InlineData(100L, 16)]
    [InlineData(800L, 25)]
    [InlineData(8_192L, 256)]
    [InlineData(60_000L, 256)]
    public void The_automatic_batch_size_gives_small_data_many_steps_per_epoch(long rows, int expected)
    {
        var options = new AutoencoderOptions();
        Assert.Null(options.BatchSize);
        Assert.Equal(expected, options.BatchSizeFor(rows));
        Assert.Equal(64, new AutoencoderOptions { BatchSize = 64 }.BatchSizeFor(rows));
    }

    [Theory]
    [InlineData(800L)]
    [InlineData(4_000L)]
    [InlineData(60_000L)]
    [InlineData(1_000_000L)]
    public void Automatic_epochs_count_optimiser_steps_not_passes(long rows)
    {
        var options = new AutoencoderOptions();
        int batch = options.BatchSizeFor(rows), epochs = options.EpochsFor(rows);
        long steps = epochs * ((rows + batch - 1) / batch);
        long stepsPerEpoch = (rows + batch - 1) / batch;
        // About the target: never fewer steps (unless one epoch already has more), and less than one epoch's worth more.
        Assert.True(steps >= AutoencoderTrainingOptions.Defaults.TrainingSteps || epochs == 1, $"{rows} rows: {epochs} epochs of {stepsPerEpoch} steps");
        Assert.True(steps < AutoencoderTrainingOptions.Defaults.TrainingSteps + stepsPerEpoch, $"{rows} rows: {epochs} epochs of {stepsPerEpoch} steps");
        Assert.Equal(7, new AutoencoderOptions { Epochs = 7 }.EpochsFor(rows));
    }

    [Fact]
    public void A_recipe_counted_in_steps_becomes_epochs_for_any_size()
    {
        // Reuters' recipe: 15,390 stories in 241 batches of 64 per epoch → 30 + 60 epochs.
        Assert.Equal(30, AutoencoderTrainingOptions.EpochsForSteps(DocumentSearchOptions.DefaultPretrainingSteps, 15_390, 64));
        Assert.Equal(60, AutoencoderTrainingOptions.EpochsForSteps(DocumentSearchOptions.DefaultFineTuningSteps, 15_390, 64));
        Assert.Equal(60, DocumentSearchOptions.DefaultAutoencoder(15_390).FineTuningEpochs);
        Assert.Equal(1, AutoencoderTrainingOptions.EpochsForSteps(100, 1_000_000, 64));
        Assert.Equal(AutoencoderTrainingOptions.Defaults.MaximumEpochs, AutoencoderTrainingOptions.EpochsForSteps(7_230, 100, 64));
        Assert.Throws<ArgumentOutOfRangeException>(() => AutoencoderTrainingOptions.EpochsForSteps(100, 100, 0));
    }

    [Fact]
    public void Tiny_data_is_capped_at_the_maximum_epochs()
    {
        Assert.Equal(AutoencoderTrainingOptions.Defaults.MaximumEpochs, new AutoencoderOptions().EpochsFor(1));
    }

    [Fact]
    public void Default_augmentation_applies_to_image_columns_only()
    {
        var automatic = new AutoencoderOptions().Augmentation!;
        Assert.True(automatic.OnlyForImageColumns);
        Assert.NotNull(Augmenter.For(automatic, Schema<ImageRow>(), "Pixels"));
        Assert.Null(Augmenter.For(automatic, Schema<FlatRow>(), "Pixels"));        // documents, tabular features: left alone
        Assert.Null(Augmenter.For(automatic, Schema<TinyImageRow>(), "Pixels"));   // 4×4: too small to move
        Assert.NotNull(Augmenter.For(new ImageAugmentation { OnlyForImageColumns = true, ImageHeight = 12, ImageWidth = 12 }, Schema<FlatRow>(), "Pixels"));
        // An instance the user creates still insists on a shape.
        Assert.Throws<ArgumentOutOfRangeException>(() => Augmenter.For(new ImageAugmentation(), Schema<FlatRow>(), "Pixels"));
    }

    [Fact]
    public void Training_with_the_defaults_reports_the_resolved_epochs_and_learns()
    {
        var ml = new MLContext(seed: 1);
        var train = TestData.MnistTrainView(ml, 400);
        var test = TestData.MnistTestView(ml, 200);
        var options = new AutoencoderOptions { CodeSize = 16, EncoderLayers = [64], Seed = 3, CacheInMemory = true, ReconstructionErrorColumnName = "Error" };
        using var model = ml.Transforms.AutoencoderFeaturizer("Code", "Pixels", options).Fit(train);
        int expectedEpochs = options.EpochsFor(400);
        Assert.Equal(expectedEpochs, model.TrainingHistory.Count);
        Assert.All(model.TrainingHistory, e => Assert.Equal(expectedEpochs, e.TotalEpochs));
        double error = Columns.Errors(model.Transform(test), "Error").Average();
        double meanPredictor = SyntheticData.MeanPredictorSse(Columns.Vectors(test, "Pixels"));
        Assert.True(error < 0.5 * meanPredictor, $"error {error:F2} vs mean predictor {meanPredictor:F2}");
    }

    [Theory]
    [InlineData(3072, 1024)]   // 32×32 RGB images
    [InlineData(784, 261)]     // MNIST
    [InlineData(2000, 666)]    // a 2,000-word vocabulary
    [InlineData(60, 64)]       // few inputs: at least 64 units
    [InlineData(200_000, 83)]  // very wide inputs: at most 16.8M weights in the first layer
    public void The_automatic_network_is_one_hidden_layer_sized_from_the_input(int inputs, int width)
    {
        Assert.Null(new AutoencoderOptions().EncoderLayers);
        Assert.Equal([width], AutoencoderFeaturizer.Defaults.AutomaticEncoderLayers(inputs));
        Assert.Equal([width], new AutoencoderOptions().EncoderLayersFor(inputs));
        Assert.Equal([7, 5], new AutoencoderOptions { EncoderLayers = [7, 5] }.EncoderLayersFor(inputs));
        Assert.Equal([128], AutoencoderFeaturizer.Defaults.AutomaticEncoderLayers(60, codeSize: 128)); // never narrower than the code
    }
}
