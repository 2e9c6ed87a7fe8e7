using System.Globalization;
using Microsoft.ML.Autoencoders.Tests.Infrastructure;
using Microsoft.ML.Data;

namespace Microsoft.ML.Autoencoders.Tests.Anomaly;

/// <summary>The autoencoder anomaly detector on small synthetic data: rows on a 3-d subspace are normal, rows off it are not.</summary>
public sealed class AnomalyDetectorTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("ae-anomaly-");

    public void Dispose() => _dir.Delete(recursive: true);

    public sealed class LabelledRow
    {
        [VectorType(SyntheticData.Dimension)] public float[] Features { get; set; } = [];
        /// <summary>1 = anomaly, 0 = normal (AnomalyDetection.Evaluate reads a Single label).</summary>
        public float Label { get; set; }
    }

    private static LabelledRow[] Normal(int n, int seed) =>
        SyntheticData.LowRank(n, seed).Select(r => new LabelledRow { Features = r.Features, Label = 0 }).ToArray();

    /// <summary>Rows of the same scale as the normal ones but in every direction of the 16-d space.</summary>
    private static LabelledRow[] OffManifold(int n, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, n).Select(_ => new LabelledRow
        {
            Features = Enumerable.Range(0, SyntheticData.Dimension).Select(_ => (float)((random.NextDouble() * 2 - 1) * 1.7)).ToArray(),
            Label = 1,
        }).ToArray();
    }

    /// <summary>Rows on another 3-d subspace: anomalies an autoencoder with room for six dimensions could learn as well.</summary>
    private static LabelledRow[] OtherSubspace(int n, int seed)
    {
        var random = new Random(seed);
        var basisRandom = new Random(777);
        var basis = Enumerable.Range(0, 3).Select(_ => Enumerable.Range(0, SyntheticData.Dimension).Select(_ => basisRandom.NextDouble() * 2 - 1).ToArray()).ToArray();
        return Enumerable.Range(0, n).Select(_ =>
        {
            var z = Enumerable.Range(0, 3).Select(_ => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble())).ToArray();
            return new LabelledRow { Features = Enumerable.Range(0, SyntheticData.Dimension).Select(j => (float)(z[0] * basis[0][j] + z[1] * basis[1][j] + z[2] * basis[2][j])).ToArray(), Label = 1 };
        }).ToArray();
    }

    private static AutoencoderAnomalyDetectorOptions Options(double trim = 0, int codeSize = 3) => new()
    {
        Network = new AutoencoderOptions { EncoderLayers = [16], CodeSize = codeSize, Epochs = 40, BatchSize = 32, Seed = 3, RobustTrimFraction = trim, RobustWarmupEpochs = 1 },
        Contamination = 0.1,
    };

    [Fact]
    public void Off_manifold_rows_score_higher_and_Evaluate_reads_the_output_directly()
    {
        var ml = new MLContext(seed: 1);
        using var model = ml.AnomalyDetection.Trainers.Autoencoder("Features", Options()).Fit(ml.Data.LoadFromEnumerable(Normal(400, 1)));
        var test = ml.Data.LoadFromEnumerable(Normal(100, 2).Concat(OffManifold(100, 3)));
        var scored = model.Transform(test);
        Assert.Equal(NumberDataViewType.Single, scored.Schema["Score"].Type);
        Assert.Equal(BooleanDataViewType.Instance, scored.Schema["PredictedLabel"].Type);
        var metrics = ml.AnomalyDetection.Evaluate(scored);
        Assert.True(metrics.AreaUnderRocCurve > 0.95, $"AUC {metrics.AreaUnderRocCurve:F3}");
        var scores = scored.GetColumn<float>("Score").ToArray();
        Assert.True(scores.Skip(100).Average() > 3 * scores.Take(100).Average());
    }

    [Fact]
    public void The_threshold_flags_the_requested_fraction_of_training_rows()
    {
        var ml = new MLContext(seed: 1);
        var train = ml.Data.LoadFromEnumerable(Normal(400, 1));
        foreach (var standardize in new[] { false, true })
        {
            var options = Options();
            options.StandardizeResiduals = standardize;
            using var model = ml.AnomalyDetection.Trainers.Autoencoder("Features", options).Fit(train);
            double flagged = model.Transform(train).GetColumn<bool>("PredictedLabel").Average(b => b ? 1.0 : 0.0);
            Assert.InRange(flagged, 0.09, 0.11);
            Assert.Equal(standardize, model.ResidualWeights.Distinct().Count() > 1);
        }
    }

    [Fact]
    public void Robust_training_keeps_anomalies_mixed_into_the_training_rows_apart()
    {
        // 10 % rows of another subspace in the training data, and room in the code for both: plain training learns to
        // reconstruct the anomalies too.
        var ml = new MLContext(seed: 1);
        var train = ml.Data.LoadFromEnumerable(Normal(360, 1).Concat(OtherSubspace(40, 4)));
        var test = ml.Data.LoadFromEnumerable(Normal(100, 2).Concat(OtherSubspace(100, 3)));
        double Separation(double trim)
        {
            using var model = ml.AnomalyDetection.Trainers.Autoencoder("Features", Options(trim, codeSize: 6)).Fit(train);
            var scores = model.Transform(test).GetColumn<float>("Score").ToArray();
            return scores.Skip(100).Average() / scores.Take(100).Average();
        }
        double plain = Separation(0), robust = Separation(0.15);
        Assert.True(robust > 1.5 * plain, $"off/normal score ratio: robust {robust:F2}, plain {plain:F2}");
    }

    [Fact]
    public void Saved_model_loads_with_stock_MLNet_in_this_and_another_process_with_identical_scores()
    {
        var ml = new MLContext(seed: 1);
        var train = ml.Data.LoadFromEnumerable(Normal(300, 1));
        using var model = ml.AnomalyDetection.Trainers.Autoencoder("Features", Options()).Fit(train);
        var test = ml.Data.LoadFromEnumerable(Normal(50, 2).Concat(OffManifold(50, 3)));
        var expected = model.Transform(test).GetColumn<float>("Score").ToArray();
        var auc = ml.AnomalyDetection.Evaluate(model.Transform(test)).AreaUnderRocCurve;

        var path = Path.Combine(_dir.FullName, "detector.zip");
        ml.Model.Save(model, train.Schema, path);
        var loaded = new MLContext().Model.Load(path, out _);
        Assert.Equal(expected, loaded.Transform(test).GetColumn<float>("Score"));

        var dataPath = Path.Combine(_dir.FullName, "test.idv");
        using (var stream = File.Create(dataPath)) ml.Data.SaveAsBinary(test, stream);
        var probe = Path.Combine(RepositoryPaths.Root, "tests", "ModelReloadProbe", "bin", RepositoryPaths.Configuration, "net10.0", "ModelReloadProbe.dll");
        var outPath = Path.Combine(_dir.FullName, "probe.tsv");
        var run = ProcessRunner.Run("dotnet", [probe, path, dataPath, "AutoencoderCode", outPath, "anomaly"], _dir.FullName, TimeSpan.FromMinutes(3));
        Assert.True(run.ExitCode == 0, run.Output);
        var lines = File.ReadAllLines(outPath);
        Assert.Equal(auc, double.Parse(lines[0].Split('\t')[1], CultureInfo.InvariantCulture));
        Assert.Equal(expected, lines.Skip(1).Select(l => float.Parse(l.Split('\t')[0], CultureInfo.InvariantCulture)));
    }

    [Fact]
    public void Bad_options_and_columns_are_named()
    {
        var ml = new MLContext(seed: 1);
        Assert.Contains("'Contamination'", Assert.Throws<ArgumentOutOfRangeException>(() =>
            ml.AnomalyDetection.Trainers.Autoencoder("Features", new AutoencoderAnomalyDetectorOptions { Contamination = 1.5 })).Message);
        Assert.Contains("'RobustTrimFraction'", Assert.Throws<ArgumentOutOfRangeException>(() => ml.AnomalyDetection.Trainers.Autoencoder("Features",
            new AutoencoderAnomalyDetectorOptions { Network = new AutoencoderOptions { RobustTrimFraction = 0.7 } })).Message);
        var e = Assert.ThrowsAny<ArgumentException>(() =>
            ml.AnomalyDetection.Trainers.Autoencoder("Pixels", Options()).Fit(ml.Data.LoadFromEnumerable(Normal(20, 1))));
        Assert.Contains("'Pixels'", e.Message);
    }
}
