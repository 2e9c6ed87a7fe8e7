using System.Text.Json;
using Microsoft.ML.Autoencoders.Datasets.Nab;
using Microsoft.ML.Autoencoders.Tests.Infrastructure;

namespace Microsoft.ML.Autoencoders.Tests.TimeSeries;

/// <summary>The NAB scorer against NAB's own per-row scores, and its normalisation.</summary>
public class NabScorerTests
{
    private static readonly Lazy<IReadOnlyList<NabSeries>> Corpus = new(() => NabCorpus.LoadSeries(TestData.NabDirectory));

    private static double PublishedThreshold(string detector, string profile)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(TestData.NabDirectory, "config", "thresholds.json")));
        return document.RootElement.GetProperty(detector).GetProperty(profile).GetProperty("threshold").GetDouble();
    }

    [Fact]
    public void Per_row_scores_of_the_numenta_detector_equal_NABs_own_columns_on_every_series()
    {
        var series = Corpus.Value;
        Assert.Equal(48, series.Count);
        foreach (var profile in NabCorpus.LoadProfiles(TestData.NabDirectory))
        {
            double threshold = PublishedThreshold("numenta", profile.Name);
            double worst = 0;
            string where = "";
            foreach (var s in series)
            {
                var scores = NabCorpus.LoadScores(TestData.NabDirectory, "numenta", s);
                var expected = NabCorpus.LoadColumn(TestData.NabDirectory, "numenta", s, $"S(t)_{profile.Name}");
                var actual = NabScorer.RowScores(s, scores, profile, threshold);
                for (int i = 0; i < actual.Length; i++)
                {
                    double d = Math.Abs(actual[i] - expected[i]);
                    if (d > worst) (worst, where) = (d, $"{s.Name} row {i}: {actual[i]} vs NAB {expected[i]}");
                }
            }
            Assert.True(worst <= 1e-6, $"{profile.Name}: largest difference {worst} at {where}");
        }
    }

    [Fact]
    public void The_null_detector_scores_zero_and_a_perfect_one_a_hundred()
    {
        var series = Corpus.Value;
        var standard = NabCorpus.LoadProfiles(TestData.NabDirectory).Single(p => p.Name == "standard");
        var nullRun = series.Select(s => (s, NabCorpus.LoadScores(TestData.NabDirectory, "null", s))).ToArray();
        Assert.Equal(0, NabScorer.Sweep(nullRun, standard).Normalized, 9);
        // A detector that fires exactly at each window's first row (after the probationary period).
        var perfect = series.Select(s =>
        {
            var scores = new double[s.Timestamps.Length];
            int probation = NabScorer.ProbationaryLength(scores.Length);
            foreach (var (first, _) in s.Windows) scores[Math.Max(first, probation)] = 1;
            return (s, scores);
        }).ToArray();
        var result = NabScorer.Sweep(perfect, standard);
        Assert.True(result.Normalized > 99.9, $"perfect detector {result.Normalized}");
        Assert.Equal(1, result.Threshold);
    }

    [Fact]
    public void Every_published_detector_is_rescored_on_the_48_series_in_the_order_NAB_ranks_them()
    {
        var series = Corpus.Value;
        var standard = NabCorpus.LoadProfiles(TestData.NabDirectory).Single(p => p.Name == "standard");
        var scores = NabCorpus.Detectors(TestData.NabDirectory).ToDictionary(d => d,
            d => NabScorer.Sweep(series.Select(s => NabCorpus.LoadRun(TestData.NabDirectory, d, s)).ToArray(), standard).Normalized);
        Assert.Equal(["ARTime", "null", "numenta", "random", "randomCutForest", "twitterADVec", "windowedGaussian"], scores.Keys);
        // The published full-corpus order (SOURCE.md): ARTime > HTM > Random Cut Forest > Twitter ADVec > Windowed Gaussian > Random > Null.
        string[] published = ["ARTime", "numenta", "randomCutForest", "twitterADVec", "windowedGaussian", "random", "null"];
        Assert.Equal(published, scores.OrderByDescending(kv => kv.Value).Select(kv => kv.Key));
        Assert.InRange(scores["numenta"], 60, 80); // 70.5 on the full 58-series corpus
    }

    [Fact]
    public void A_part_of_the_corpus_at_the_swept_threshold_adds_up_to_the_corpus_score()
    {
        var series = Corpus.Value;
        var standard = NabCorpus.LoadProfiles(TestData.NabDirectory).Single(p => p.Name == "standard");
        var runs = series.Select(s => NabCorpus.LoadRun(TestData.NabDirectory, "numenta", s)).ToArray();
        var swept = NabScorer.Sweep(runs, standard);
        var whole = NabScorer.ScoreAt(runs, standard, swept.Threshold);
        Assert.Equal(swept.Raw, whole.Raw, 9);
        Assert.Equal(swept.Null, whole.Null, 9);
        Assert.Equal(swept.Perfect, whole.Perfect, 9);
        var parts = runs.GroupBy(r => r.Series.Category).Select(g => NabScorer.ScoreAt(g.ToArray(), standard, swept.Threshold)).ToArray();
        Assert.Equal(swept.Raw, parts.Sum(p => p.Raw), 9);
        Assert.True(parts.Select(p => p.Normalized).Distinct().Count() > 2, "categories should differ");
    }
}
