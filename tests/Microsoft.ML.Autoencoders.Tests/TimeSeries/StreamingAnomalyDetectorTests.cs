using System.IO.Compression;
using Microsoft.ML.Data;

namespace Microsoft.ML.Autoencoders.Tests.TimeSeries;

/// <summary>The streaming window detector: learning, multivariate explanation, no look-ahead, threshold rules, save/load, bad input.</summary>
public class StreamingAnomalyDetectorTests
{
    /// <summary>Three noisy sines of different periods; from <paramref name="anomalyStart"/> for 30 points channel 1 alone goes flat at its peak.</summary>
    private static List<float[]> ThreeChannels(int points, int? anomalyStart = null, int seed = 7)
    {
        var random = new Random(seed);
        var list = new List<float[]>();
        for (int t = 0; t < points; t++)
        {
            var p = new float[3];
            for (int c = 0; c < 3; c++) p[c] = (float)(Math.Sin(2 * Math.PI * t / (20 + 7 * c) + c) + 0.05 * (random.NextDouble() - 0.5));
            if (anomalyStart is int a && t >= a && t < a + 30) p[1] = 1.5f;
            list.Add(p);
        }
        return list;
    }

    /// <summary>Small settings; the spatial rule off unless a test turns it on, so that the scores come from the window network.</summary>
    private static StreamingAnomalyDetectorOptions Options(int? retrainEvery = null) => new()
    {
        Window = 24,
        SpatialTolerance = null,
        Network = new AutoencoderOptions { EncoderLayers = [32], CodeSize = 4, Augmentation = null, Seed = 3, Epochs = 30 },
        Likelihood = new AnomalyLikelihoodOptions { LearningPeriod = 50, HistoryWindow = 500 },
        RetrainEvery = retrainEvery,
    };

    private static StreamingAnomalyModel Train(List<float[]> points, StreamingAnomalyDetectorOptions? options = null) =>
        new MLContext(seed: 1).AnomalyDetection.Trainers.StreamingAutoencoder(options ?? Options()).Fit(points);

    [Fact]
    public void The_likelihood_is_one_half_while_learning_and_near_one_after_a_jump()
    {
        var likelihood = new AnomalyLikelihood(new AnomalyLikelihoodOptions { LearningPeriod = 100, AveragingWindow = 5, HistoryWindow = 400 });
        var random = new Random(1);
        for (int i = 0; i < 100; i++) Assert.Equal(0.5, likelihood.Add(1 + 0.1 * random.NextDouble()));
        double calm = 0;
        for (int i = 0; i < 200; i++) calm = Math.Max(calm, likelihood.Add(1 + 0.1 * random.NextDouble()));
        double jump = 0;
        for (int i = 0; i < 5; i++) jump = likelihood.Add(50);
        Assert.True(calm < 0.9999, $"largest likelihood of normal errors {calm}");
        Assert.True(jump > 0.999999, $"likelihood after the errors jumped 50-fold {jump}");
    }

    [Fact]
    public void A_multivariate_anomaly_scores_above_every_normal_point_and_is_blamed_on_its_channel()
    {
        var training = ThreeChannels(1200);
        var stream = ThreeChannels(1800, anomalyStart: 1500).Skip(1200).ToList();
        using var model = Train(training);
        var scores = model.ScoreAll(stream);
        double normal = scores.Take(280).Max(s => s.Score);
        var peak = scores.Skip(300).Take(60).MaxBy(s => s.Score);
        Assert.True(peak.Score > normal, $"anomaly {peak.Score} vs normal {normal}");
        Assert.Equal(1, peak.Channel);
        Assert.True(peak.IsAnomaly, $"peak {peak.Score} vs threshold {model.Threshold} ({model.ThresholdRule})");
        Assert.True(scores.Take(280).Count(s => s.IsAnomaly) <= 3, "normal points flagged: " + scores.Take(280).Count(s => s.IsAnomaly));

        // Explanation of a point inside the flat stretch: channel 1 carries most of the error.
        using var again = Train(training);
        foreach (var p in stream.Take(315)) again.Score(p);
        var explanation = again.ExplainLast();
        var shares = explanation.ChannelShares();
        Assert.Equal(1, Array.IndexOf(shares, shares.Max()));
        Assert.Equal(1.0, shares.Sum(), 6);
        Assert.Equal(24 * 3, explanation.SquaredResiduals.Length);
    }

    [Fact]
    public void The_spatial_rule_scores_one_for_a_value_beyond_the_range_seen_and_names_its_channel()
    {
        var range = new SeenRange(2, 0.1);
        Assert.Equal(-1, range.Observe([0f, 5f]));
        Assert.Equal(-1, range.Observe([1f, 5f]));    // channel 1 has shown one value only: no range to leave yet
        Assert.Equal(-1, range.Observe([1.05f, 6f])); // within 10 % of the range [0, 1]
        Assert.Equal(0, range.Observe([-0.2f, 5f]));  // 0.2 below a range of 1.1
        Assert.Equal(1, range.Observe([0f, 9f]));     // range [5, 6] left by 3
        Assert.Equal(-1, new SeenRange(1, null).Observe([1e9f]));

        var training = ThreeChannels(600);
        var stream = ThreeChannels(700).Skip(600).ToList();
        stream[50] = [stream[50][0], stream[50][1], 1.5f];
        var options = Options();
        options.SpatialTolerance = 0.05;
        using var model = Train(training, options);
        var scores = model.ScoreAll(stream);
        Assert.Equal(1, scores[50].Score);
        Assert.Equal(2, scores[50].Channel);
        Assert.True(scores.Take(50).Max(s => s.Score) < 1);
    }

    [Theory]
    [InlineData(null)]
    [InlineData(150)]
    public void Appending_points_never_changes_an_earlier_score_and_the_seed_fixes_every_score(int? retrainEvery)
    {
        var training = ThreeChannels(600);
        var stream = ThreeChannels(1000, anomalyStart: 800).Skip(600).ToList();
        using var shortRun = Train(training, Options(retrainEvery));
        var first = shortRun.ScoreAll(stream.Take(250).ToList());
        using var longRun = Train(training, Options(retrainEvery));
        var all = longRun.ScoreAll(stream);
        Assert.Equal(first, all.Take(250));
        if (retrainEvery is not null) Assert.Equal(400 / 150, longRun.Retrainings);
        // The scores moved: the test would not pass on a constant.
        Assert.True(all.Select(s => s.Score).Distinct().Count() > 100);
    }

    [Fact]
    public void Threshold_rules_fixed_contamination_and_automatic()
    {
        var training = ThreeChannels(900);
        var fixedOptions = Options();
        fixedOptions.ThresholdRule = AnomalyThresholdRule.Fixed;
        fixedOptions.Threshold = 0.7;
        using (var model = Train(training, fixedOptions)) Assert.Equal(0.7, model.Threshold);

        var contamination = Options();
        contamination.ThresholdRule = AnomalyThresholdRule.Contamination;
        contamination.Contamination = 0.1;
        using var byContamination = Train(training, contamination);
        using var automatic = Train(training);
        // The automatic bar is the highest score of the training stream, so it lies above the 90 % quantile of those scores.
        Assert.True(byContamination.Threshold < automatic.Threshold, $"contamination {byContamination.Threshold} vs automatic {automatic.Threshold}");
        // On more normal points, the contamination rule flags a share of the order it was given; the automatic one fewer.
        var more = ThreeChannels(1500).Skip(900).ToList();
        double flagged = byContamination.ScoreAll(more).Average(s => s.IsAnomaly ? 1.0 : 0);
        double flaggedAutomatic = automatic.ScoreAll(more).Average(s => s.IsAnomaly ? 1.0 : 0);
        Assert.InRange(flagged, 0.02, 0.4);
        Assert.True(flaggedAutomatic < flagged, $"automatic {flaggedAutomatic} vs contamination {flagged}");
    }

    [Fact]
    public void A_saved_detector_continues_the_stream_with_identical_scores_and_its_network_loads_with_stock_Model_Load()
    {
        var training = ThreeChannels(700);
        var stream = ThreeChannels(1000, anomalyStart: 900).Skip(700).ToList();
        string path = Path.Combine(Path.GetTempPath(), $"streaming-{Guid.NewGuid():N}.zip");
        try
        {
            var options = Options();
            options.SpatialTolerance = 0.02;
            using var model = Train(training, options);
            model.ScoreAll(stream.Take(100).ToList());
            model.Save(path);
            var expected = model.ScoreAll(stream.Skip(100).ToList());
            using var loaded = StreamingAnomalyModel.Load(path);
            Assert.Equal(800, loaded.PointsSeen);
            Assert.Equal(model.Threshold, loaded.Threshold);
            Assert.Equal(expected, loaded.ScoreAll(stream.Skip(100).ToList()));

            // The window autoencoder inside is an ordinary ML.NET model.
            using var zip = ZipFile.OpenRead(path);
            using var inner = new MemoryStream();
            using (var entry = zip.GetEntry("autoencoder.zip")!.Open()) entry.CopyTo(inner);
            inner.Position = 0;
            var ml = new MLContext();
            var network = ml.Model.Load(inner, out var schema);
            Assert.Equal(StreamingAnomalyDetector.WindowColumnName, schema.Single().Name);
            var row = ml.Data.LoadFromEnumerable([new WindowRow { Window = new float[24 * 3] }], SchemaDefinition.Create(typeof(WindowRow)));
            Assert.Contains(network.GetOutputSchema(row.Schema), c => c.Name == "WindowSquaredResidual");
        }
        finally
        {
            File.Delete(path);
        }
    }

    private sealed class WindowRow
    {
        [VectorType(72)]
        public float[] Window { get; set; } = [];
    }

    [Fact]
    public void Corrupt_or_missing_files_are_refused_naming_the_file()
    {
        string path = Path.Combine(Path.GetTempPath(), $"streaming-{Guid.NewGuid():N}.zip");
        try
        {
            var missing = Assert.Throws<FileNotFoundException>(() => StreamingAnomalyModel.Load(path));
            Assert.Contains(path, missing.Message);
            using (var model = Train(ThreeChannels(300))) model.Save(path);
            var bytes = File.ReadAllBytes(path);
            File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);
            var truncated = Assert.Throws<InvalidDataException>(() => StreamingAnomalyModel.Load(path));
            Assert.Contains(path, truncated.Message);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Bad_points_are_refused_naming_the_point_and_channel_and_leave_the_stream_unchanged()
    {
        var training = ThreeChannels(300);
        training[123] = [0, float.NaN, 0];
        var error = Assert.Throws<ArgumentException>(() => Train(training));
        Assert.Contains("point 123", error.Message);
        Assert.Contains("channel 1", error.Message);
        Assert.Contains("one window", Assert.Throws<ArgumentException>(() => Train(ThreeChannels(20))).Message);
        Assert.Contains("no points", Assert.Throws<ArgumentException>(() => Train([])).Message);

        using var model = Train(ThreeChannels(300));
        long seen = model.PointsSeen;
        Assert.Contains("2 values", Assert.Throws<ArgumentException>(() => model.Score([1f, 2f])).Message);
        Assert.Contains("channel 2", Assert.Throws<ArgumentException>(() => model.Score([1f, 2f, float.PositiveInfinity])).Message);
        Assert.Equal(seen, model.PointsSeen);
    }

    [Fact]
    public void Points_can_come_from_IDataView_columns_and_a_disposed_model_refuses_to_score()
    {
        var ml = new MLContext(seed: 1);
        var rows = ThreeChannels(300).Select(p => new Reading { A = p[0], B = p[1], C = p[2] }).ToList();
        var points = StreamingAnomalyDetector.ReadPoints(ml.Data.LoadFromEnumerable(rows), "A", "B", "C");
        Assert.Equal(300, points.Count);
        Assert.Equal(rows[17].B, points[17][1]);
        var bad = Assert.Throws<ArgumentOutOfRangeException>(() => StreamingAnomalyDetector.ReadPoints(ml.Data.LoadFromEnumerable(rows), "A", "Missing"));
        Assert.Contains("'Missing'", bad.Message);

        var model = Train(points.ToList());
        model.Dispose();
        Assert.Throws<ObjectDisposedException>(() => model.Score([0f, 0f, 0f]));
    }

    private sealed class Reading
    {
        public float A { get; set; }
        public double B { get; set; }
        public float C { get; set; }
    }
}
