using Microsoft.ML.Autoencoders.Tests.Infrastructure;
using Microsoft.ML.Data;

namespace Microsoft.ML.Autoencoders.Tests.Reliability;

/// <summary>
/// Rows no autoencoder can score (NaN or ±∞) are never called normal by the anomaly detector — in process, through a
/// PredictionEngine, and after Save and a stock Model.Load — and training data whose scale overflows float32 squared
/// errors is refused before training, with the cause named, instead of "diverging" with advice about the learning rate.
/// </summary>
public sealed class NonFiniteAndHugeValuesTests
{
    private static readonly MLContext Ml = new(seed: 1);

    private static AutoencoderAnomalyTransformer Detector() =>
        Ml.AnomalyDetection.Trainers.Autoencoder("Features", new AutoencoderAnomalyDetectorOptions
        {
            Network = new AutoencoderOptions { EncoderLayers = [8], CodeSize = 3, Epochs = 2 },
        }).Fit(Ml.Data.LoadFromEnumerable(SyntheticData.LowRank(200, seed: 1)));

    private static VectorRow[] TestRows()
    {
        var rows = SyntheticData.LowRank(6, seed: 2);
        rows[1].Features[4] = float.NaN;
        rows[3].Features[0] = float.PositiveInfinity;
        rows[4].Features[15] = float.NegativeInfinity;
        return rows;
    }

    public sealed class Prediction
    {
        public float Score { get; set; }
        public bool PredictedLabel { get; set; }
    }

    private static void NonFiniteRowsAreAnomalous(IReadOnlyList<float> scores, IReadOnlyList<bool> labels)
    {
        foreach (int row in new[] { 1, 3, 4 })
        {
            Assert.Equal(float.PositiveInfinity, scores[row]);
            Assert.True(labels[row], $"row {row} holds a non-finite value but was predicted normal");
        }
        foreach (int row in new[] { 0, 2, 5 }) Assert.True(float.IsFinite(scores[row]), $"finite row {row} scored {scores[row]}");
    }

    [Fact]
    public void A_row_holding_NaN_or_infinity_is_predicted_anomalous_everywhere_it_is_scored()
    {
        using var model = Detector();
        var data = Ml.Data.LoadFromEnumerable(TestRows());
        var scored = model.Transform(data);
        NonFiniteRowsAreAnomalous(scored.GetColumn<float>("Score").ToArray(), scored.GetColumn<bool>("PredictedLabel").ToArray());

        using var engine = Ml.Model.CreatePredictionEngine<VectorRow, Prediction>(model);
        var predictions = TestRows().Select(engine.Predict).ToArray();
        NonFiniteRowsAreAnomalous(predictions.Select(p => p.Score).ToArray(), predictions.Select(p => p.PredictedLabel).ToArray());

        using var zip = new MemoryStream();
        Ml.Model.Save(model, data.Schema, zip);
        zip.Position = 0;
        var loaded = new MLContext().Model.Load(zip, out _); // stock ML.NET
        var reloaded = loaded.Transform(data);
        NonFiniteRowsAreAnomalous(reloaded.GetColumn<float>("Score").ToArray(), reloaded.GetColumn<bool>("PredictedLabel").ToArray());
    }

    [Theory]
    [InlineData(1e20f)]
    [InlineData(3e38f)]
    [InlineData(-1e17f)]
    public void Training_data_too_large_for_float32_squared_errors_is_refused_before_training(float value)
    {
        var rows = SyntheticData.LowRank(100, seed: 1);
        rows[37].Features[5] = value;
        int epochs = 0;
        var estimator = Ml.Transforms.AutoencoderFeaturizer("Code", "Features", new AutoencoderOptions
        {
            EncoderLayers = [8], CodeSize = 3, Epochs = 3, Progress = new SyncProgress<EpochReport>(_ => epochs++),
        });
        var e = Assert.Throws<InvalidOperationException>(() => estimator.Fit(Ml.Data.LoadFromEnumerable(rows)));
        Assert.Contains("'Features'", e.Message);
        Assert.Contains("row 37, slot 5", e.Message);
        Assert.Contains("float32", e.Message);
        Assert.Contains("Normalize", e.Message);
        Assert.DoesNotContain("learning rate", e.Message);
        Assert.Equal(0, epochs);
    }

    [Fact]
    public void Large_but_representable_values_still_train()
    {
        var rows = SyntheticData.LowRank(100, seed: 1);
        foreach (var row in rows) for (int j = 0; j < row.Features.Length; j++) row.Features[j] *= 1e6f;
        using var model = Ml.Transforms.AutoencoderFeaturizer("Code", "Features", new AutoencoderOptions { EncoderLayers = [8], CodeSize = 3, Epochs = 2 })
            .Fit(Ml.Data.LoadFromEnumerable(rows));
        Assert.Equal(3, model.CodeSize);
    }
}
