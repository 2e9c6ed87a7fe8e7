using Microsoft.ML.Autoencoders.Tests.Infrastructure;
using Microsoft.ML.Autoencoders.Training;
using Microsoft.ML.Autoencoders.Training.Augmentation;
using Microsoft.ML.Data;
using TorchSharp;

namespace Microsoft.ML.Autoencoders.Tests.Augmentation;

public class ImageAugmentationTests
{
    private sealed class ImageRow
    {
        [VectorType(2, 5, 6)]
        public float[] Pixels { get; set; } = [];
    }

    private sealed class FlatRow
    {
        [VectorType(60)]
        public float[] Pixels { get; set; } = [];
    }

    private static DataViewSchema Schema<T>() where T : class => new MLContext().Data.LoadFromEnumerable(Array.Empty<T>()).Schema;

    /// <summary><paramref name="image"/> [C, H, W] moved by (dx, dy), zeros where nothing moved in.</summary>
    private static float[] Shifted(float[] image, int c, int h, int w, int dx, int dy)
    {
        var result = new float[image.Length];
        for (int p = 0; p < c; p++)
            for (int i = 0; i < h; i++)
                for (int j = 0; j < w; j++)
                {
                    int si = i - dy, sj = j - dx;
                    if (si >= 0 && si < h && sj >= 0 && sj < w) result[(p * h + i) * w + j] = image[(p * h + si) * w + sj];
                }
        return result;
    }

    private static float[] Mirrored(float[] image, int c, int h, int w)
    {
        var result = new float[image.Length];
        for (int p = 0; p < c; p++)
            for (int i = 0; i < h; i++)
                for (int j = 0; j < w; j++) result[(p * h + i) * w + j] = image[(p * h + i) * w + (w - 1 - j)];
        return result;
    }

    [Theory]
    [InlineData(AugmentationScope.PerRow)]
    [InlineData(AugmentationScope.PerBatch)]
    public void Every_row_is_the_image_moved_by_one_of_the_allowed_shifts(AugmentationScope scope)
    {
        var augmenter = Augmenter.For(new ImageAugmentation { MaxShift = 1, Scope = scope }, Schema<ImageRow>(), "Pixels")!;
        var random = new Random(4);
        var image = Enumerable.Range(0, 60).Select(_ => (float)random.NextDouble() + 0.1f).ToArray();
        var candidates = (from dy in new[] { -1, 0, 1 } from dx in new[] { -1, 0, 1 } select (dx, dy, Shifted(image, 2, 5, 6, dx, dy))).ToArray();
        var seen = new List<(int, int)>();
        using (TorchRandomness.Seed(7))
        {
            for (int draw = 0; draw < (scope == AugmentationScope.PerRow ? 3 : 80); draw++)
            {
                using var scope2 = torch.NewDisposeScope();
                var output = augmenter.Apply(torch.tensor(Enumerable.Repeat(image, 40).SelectMany(r => r).ToArray(), [40, 60]));
                var rows = Enumerable.Range(0, 40).Select(i => output[i].data<float>().ToArray()).ToArray();
                var shifts = rows.Select(r => candidates.Single(c => c.Item3.SequenceEqual(r)) is var m ? (m.dx, m.dy) : default).ToArray();
                if (scope == AugmentationScope.PerBatch) Assert.Single(shifts.Distinct());
                seen.AddRange(shifts);
            }
        }
        Assert.Equal(9, seen.Distinct().Count()); // every shift in {−1, 0, 1}² occurs
    }

    [Fact]
    public void Flips_mirror_about_half_of_the_rows_left_to_right()
    {
        var augmenter = Augmenter.For(new ImageAugmentation { MaxShift = 0, HorizontalFlip = true }, Schema<ImageRow>(), "Pixels")!;
        var image = Enumerable.Range(0, 60).Select(i => (float)i).ToArray();
        var mirrored = Mirrored(image, 2, 5, 6);
        using var seed = TorchRandomness.Seed(8);
        using var scope = torch.NewDisposeScope();
        var output = augmenter.Apply(torch.tensor(Enumerable.Repeat(image, 200).SelectMany(r => r).ToArray(), [200, 60]));
        var rows = Enumerable.Range(0, 200).Select(i => output[i].data<float>().ToArray()).ToArray();
        Assert.All(rows, r => Assert.True(r.SequenceEqual(image) || r.SequenceEqual(mirrored)));
        Assert.InRange(rows.Count(r => r.SequenceEqual(mirrored)), 70, 130);
    }

    [Fact]
    public void The_image_shape_is_never_guessed()
    {
        var flat = Assert.Throws<ArgumentOutOfRangeException>(() => Augmenter.For(new ImageAugmentation(), Schema<FlatRow>(), "Pixels"));
        Assert.Contains("AutoencoderOptions.Augmentation", flat.Message);
        Assert.NotNull(Augmenter.For(new ImageAugmentation { ImageHeight = 6, ImageWidth = 10 }, Schema<FlatRow>(), "Pixels"));
        var tooFar = Assert.Throws<ArgumentOutOfRangeException>(() => Augmenter.For(new ImageAugmentation { MaxShift = 5 }, Schema<ImageRow>(), "Pixels"));
        Assert.Contains("Augmentation.MaxShift", tooFar.Message);
        var ml = new MLContext();
        var negative = Assert.Throws<ArgumentOutOfRangeException>(() => ml.Transforms.AutoencoderFeaturizer("Code", "Pixels",
            new AutoencoderOptions { Augmentation = new ImageAugmentation { MaxShift = -1 } }));
        Assert.Contains("Option 'Augmentation.MaxShift'", negative.Message);
    }

    [Fact]
    public void Augmented_training_learns_reproducibly_and_scoring_is_not_augmented()
    {
        var ml = new MLContext(seed: 1);
        var train = TestData.MnistTrainView(ml, 1500);
        var test = TestData.MnistTestView(ml, 300);
        AutoencoderOptions Options() => new()
        {
            EncoderLayers = [128], CodeSize = 16, Epochs = 12, BatchSize = 32, LearningRate = 3e-3, Seed = 9, CacheInMemory = true, ValidationFraction = 0.2,
            ReconstructionErrorColumnName = "Error",
            Augmentation = new ImageAugmentation { MaxShift = 1, ImageHeight = 28, ImageWidth = 28 },
        };
        using var first = ml.Transforms.AutoencoderFeaturizer("Code", "Pixels", Options()).Fit(train);
        using var second = ml.Transforms.AutoencoderFeaturizer("Code", "Pixels", Options()).Fit(train);
        Assert.Equal(Columns.Vectors(first.Transform(test), "Code"), Columns.Vectors(second.Transform(test), "Code"));
        // Scoring the same rows twice gives the same codes (no augmentation at scoring time).
        Assert.Equal(Columns.Vectors(first.Transform(test), "Code"), Columns.Vectors(first.Transform(test), "Code"));
        double error = Columns.Errors(first.Transform(test), "Error").Average();
        double meanPredictor = SyntheticData.MeanPredictorSse(Columns.Vectors(test, "Pixels"));
        Assert.True(error < 0.6 * meanPredictor, $"augmented autoencoder error {error:F2} vs mean predictor {meanPredictor:F2}");
        Assert.All(first.TrainingHistory, e => Assert.NotNull(e.ValidationLoss));
    }

    [Fact]
    public void A_stack_augments_its_first_layer_and_its_fine_tuning()
    {
        var ml = new MLContext(seed: 1);
        var raw = TestData.MnistTrainView(ml, 1000);
        var train = ml.Transforms.Conversion.MapValueToKey("Label", "Digit").Fit(raw).Transform(raw);
        StackedPretrainerOptions Options(bool augment) => new()
        {
            EncoderLayers = [64], CodeSize = 32, PretrainingEpochs = 2, BatchSize = 64, Seed = 2, CacheInMemory = true, FineTuningEpochs = 20,
            FineTuningLearningRate = 1e-3, LabelColumnName = "Label",
            Augmentation = augment ? new ImageAugmentation { MaxShift = 2, ImageHeight = 28, ImageWidth = 28 } : null,
        };
        using var plain = ml.Transforms.StackedPretrainer("Code", "Pixels", Options(false)).Fit(train);
        using var augmented = ml.Transforms.StackedPretrainer("Code", "Pixels", Options(true)).Fit(train);
        // Moved images are harder to fit: the augmented first layer and fine-tuning end with higher training losses...
        Assert.True(augmented.PretrainedStack!.LayerHistories[0][^1].TrainLoss > plain.PretrainedStack!.LayerHistories[0][^1].TrainLoss);
        Assert.True(augmented.TrainingHistory[^1].TrainLoss > plain.TrainingHistory[^1].TrainLoss);
        // ...while the classifier still learns the training digits.
        Assert.True(ml.MulticlassClassification.Evaluate(augmented.Transform(train)).MicroAccuracy > 0.8);
    }
}
