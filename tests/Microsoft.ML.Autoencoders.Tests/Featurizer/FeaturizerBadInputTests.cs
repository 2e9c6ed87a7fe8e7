using Microsoft.ML.Autoencoders.Tests.Infrastructure;
using Microsoft.ML.Data;

namespace Microsoft.ML.Autoencoders.Tests.Featurizer;

public class FeaturizerBadInputTests
{
    private sealed class DoubleRow { [VectorType(4)] public double[] Features { get; set; } = []; }
    private sealed class ScalarRow { public float Features { get; set; } }
    private sealed class VariableRow { public float[] Features { get; set; } = []; }
    private sealed class FloatRow { [VectorType(4)] public float[] Features { get; set; } = []; }

    private static readonly MLContext Ml = new(seed: 1);
    private static AutoencoderOptions Tiny => new() { EncoderLayers = [4], CodeSize = 2, Epochs = 1 };

    private static Exception FitError<T>(IEnumerable<T> rows, AutoencoderOptions? options = null, string input = "Features") where T : class =>
        Record.Exception(() => Ml.Transforms.AutoencoderFeaturizer("Code", input, options ?? Tiny).Fit(Ml.Data.LoadFromEnumerable(rows)))!;

    [Fact]
    public void Missing_column_is_named()
    {
        var e = FitError(new[] { new FloatRow { Features = [1, 2, 3, 4] } }, input: "Pixels");
        Assert.IsType<ArgumentOutOfRangeException>(e);
        Assert.Contains("'Pixels' not found", e.Message);
        Assert.Contains("'Features'", e.Message);
    }

    [Fact]
    public void Wrong_item_type_scalar_and_variable_size_columns_are_rejected_with_what_was_found()
    {
        var doubles = FitError(new[] { new DoubleRow { Features = [1, 2, 3, 4] } });
        Assert.Contains("'Features'", doubles.Message);
        Assert.Contains("expected known-size vector of Single, got Vector<Double, 4>", doubles.Message);

        var scalar = FitError(new[] { new ScalarRow { Features = 1 } });
        Assert.Contains("got Single", scalar.Message);

        var variable = FitError(new[] { new VariableRow { Features = [1, 2] } });
        Assert.Contains("got Vector<Single>", variable.Message);
    }

    [Theory]
    [InlineData(float.NaN)]
    [InlineData(float.PositiveInfinity)]
    [InlineData(float.NegativeInfinity)]
    public void Non_finite_values_are_reported_with_row_and_slot(float bad)
    {
        var rows = Enumerable.Range(0, 10).Select(i => new FloatRow { Features = [i, 1, 2, 3] }).ToArray();
        rows[7].Features[2] = bad;
        var e = FitError(rows);
        Assert.IsType<InvalidOperationException>(e);
        Assert.Contains("Column 'Features'", e.Message);
        Assert.Contains("row 7, slot 2", e.Message);
    }

    [Fact]
    public void Empty_data_is_rejected()
    {
        var e = FitError(Array.Empty<FloatRow>());
        Assert.IsType<InvalidOperationException>(e);
        Assert.Contains("empty", e.Message);
        Assert.Contains("'Features'", e.Message);
    }

    [Theory]
    [InlineData(nameof(AutoencoderOptions.CodeSize))]
    [InlineData(nameof(AutoencoderOptions.LearningRate))]
    [InlineData(nameof(AutoencoderOptions.EncoderLayers))]
    [InlineData(nameof(AutoencoderOptions.DecoderLayers))]
    [InlineData(nameof(AutoencoderOptions.BatchSize))]
    [InlineData(nameof(AutoencoderOptions.Epochs))]
    [InlineData(nameof(AutoencoderOptions.ValidationFraction))]
    [InlineData(nameof(AutoencoderOptions.WeightDecay))]
    [InlineData(nameof(AutoencoderOptions.Momentum))]
    public void Nonsensical_options_name_the_option(string option)
    {
        var o = Tiny;
        switch (option)
        {
            case nameof(o.CodeSize): o.CodeSize = 0; break;
            case nameof(o.LearningRate): o.LearningRate = -0.1; break;
            case nameof(o.EncoderLayers): o.EncoderLayers = [8, -2]; break;
            case nameof(o.DecoderLayers): o.DecoderLayers = [4, 0]; break;
            case nameof(o.BatchSize): o.BatchSize = 0; break;
            case nameof(o.Epochs): o.Epochs = 0; break;
            case nameof(o.ValidationFraction): o.ValidationFraction = 1; break;
            case nameof(o.WeightDecay): o.WeightDecay = -1; break;
            case nameof(o.Momentum): o.Momentum = 1.5; break;
        }
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => Ml.Transforms.AutoencoderFeaturizer("Code", "Features", o));
        Assert.Contains($"Option '{option}'", e.Message);
    }

    [Fact]
    public void Binary_cross_entropy_on_data_outside_the_unit_interval_is_rejected()
    {
        var o = Tiny;
        o.Loss = ReconstructionLoss.BinaryCrossEntropy;
        var e = FitError(new[] { new FloatRow { Features = [0, 0.5f, 2, 1] } }, o);
        Assert.Contains("'Features' ranges from 0 to 2", e.Message);
    }

    [Fact]
    public void Multinomial_cross_entropy_on_negative_data_is_rejected()
    {
        var o = Tiny;
        o.Loss = ReconstructionLoss.MultinomialCrossEntropy;
        var e = FitError(new[] { new FloatRow { Features = [0, 3, -1, 1] } }, o);
        Assert.Contains("'Features' has values down to -1", e.Message);
    }

    [Fact]
    public void Output_column_named_like_the_input_is_rejected()
    {
        var e = Assert.Throws<ArgumentException>(() => Ml.Transforms.AutoencoderFeaturizer("Features", "Features", Tiny));
        Assert.Contains("'Features' is used twice", e.Message);
    }

    [Fact]
    public void Transforming_data_with_another_vector_size_names_the_column()
    {
        using var model = Ml.Transforms.AutoencoderFeaturizer("Code", "Features", Tiny)
            .Fit(Ml.Data.LoadFromEnumerable(SyntheticData.LowRank(50, seed: 1)));
        var other = Ml.Data.LoadFromEnumerable(new[] { new FloatRow { Features = [1, 2, 3, 4] } });
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => model.Transform(other));
        Assert.Contains("'Features': expected Vector<Single, 16>, got Vector<Single, 4>", e.Message);
    }
}
