using Microsoft.ML.Autoencoders.Tests.Infrastructure;

namespace Microsoft.ML.Autoencoders.Tests.Reliability;

/// <summary>
/// Scoring a row that holds NaN: by design the code (and the reconstruction error) of that row is NaN and every other row
/// is scored as usual, as ML.NET's own transforms propagate missing values; training and the batch encoder refuse NaN.
/// </summary>
public class MissingValuesTests
{
    [Fact]
    public void A_row_with_NaN_scores_to_NaN_without_disturbing_the_other_rows()
    {
        var ml = new MLContext(seed: 1);
        var rows = SyntheticData.LowRank(40, seed: 7);
        using var model = ml.Transforms.AutoencoderFeaturizer("Code", "Features",
            new AutoencoderOptions { EncoderLayers = [8], CodeSize = 3, Epochs = 1, ReconstructionErrorColumnName = "Error" }).Fit(ml.Data.LoadFromEnumerable(rows));
        var clean = Columns.Vectors(model.Transform(ml.Data.LoadFromEnumerable(rows)), "Code");

        var withNaN = rows.Select(r => new VectorRow { Features = (float[])r.Features.Clone() }).ToArray();
        withNaN[5].Features[2] = float.NaN;
        var scored = model.Transform(ml.Data.LoadFromEnumerable(withNaN));
        var codes = Columns.Vectors(scored, "Code");
        var errors = Columns.Vectors(scored, "Error");
        Assert.All(codes[5], v => Assert.True(float.IsNaN(v)));
        Assert.True(float.IsNaN(errors[5][0]));
        for (int i = 0; i < rows.Length; i++)
            if (i != 5) Assert.Equal(clean[i], codes[i]);
    }
}
