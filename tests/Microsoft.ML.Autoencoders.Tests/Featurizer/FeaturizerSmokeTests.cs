using Microsoft.ML.Autoencoders.Tests.Infrastructure;
using Microsoft.ML.Data;

namespace Microsoft.ML.Autoencoders.Tests.Featurizer;

public class FeaturizerSmokeTests
{
    [Fact]
    public void Learns_low_rank_structure_better_than_the_mean_predictor()
    {
        var ml = new MLContext(seed: 1);
        var rows = SyntheticData.LowRank(2000, seed: 2);
        var data = ml.Data.LoadFromEnumerable(rows);
        var model = ml.Transforms.AutoencoderFeaturizer("Code", "Features", new AutoencoderOptions
        {
            EncoderLayers = [32],
            CodeSize = 3,
            Epochs = 20,
            BatchSize = 64,
            ReconstructionErrorColumnName = "Error",
            ReconstructionColumnName = "Reconstruction",
        }).Fit(data);
        var scored = model.Transform(data);
        Assert.Equal(new VectorDataViewType(NumberDataViewType.Single, 3), scored.Schema["Code"].Type);
        Assert.Equal(new VectorDataViewType(NumberDataViewType.Single, 1), scored.Schema["Error"].Type);
        var errors = Columns.Errors(scored, "Error");
        double baseline = SyntheticData.MeanPredictorSse(rows.Select(r => r.Features).ToList());
        Assert.True(errors.Average() < 0.2 * baseline, $"autoencoder SSE {errors.Average():F4} vs mean predictor {baseline:F4}");
    }
}
