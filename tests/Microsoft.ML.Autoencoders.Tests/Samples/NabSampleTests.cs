using Microsoft.ML.Autoencoders.Datasets.Nab;
using Microsoft.ML.Autoencoders.Tests.Infrastructure;

namespace Microsoft.ML.Autoencoders.Tests.Samples;

[Collection(ChildProcesses.Collection)]
[Trait("Category", "Slow")]
public class NabSampleTests
{
    [Fact]
    public void Quick_run_scores_our_detectors_and_every_published_one_and_writes_NAB_results_files()
    {
        var (dir, results, _) = SampleRunner.Run("nab");
        try
        {
            Assert.Equal(6, results.GetProperty("nab_series").GetInt32()); // one series per category
            foreach (var key in new[] { "nab_standard", "nab_reward_low_fp", "nab_reward_low_fn", "nab_autoencoder_standard", "nab_pca_standard" })
                Assert.InRange(results.GetProperty(key).GetDouble(), -100, 100);
            foreach (var detector in NabCorpus.Detectors(TestData.NabDirectory))
                Assert.InRange(results.GetProperty($"nab_{detector}_standard").GetDouble(), -100, 100);
            Assert.Equal(0, results.GetProperty("nab_null_standard").GetDouble());
            Assert.True(results.GetProperty("stream_points_per_second").GetDouble() > 0);
            Assert.True(new FileInfo(Path.Combine(dir, "series.png")).Length > 1000);

            // Our scores in NAB's results layout read back with the corpus reader and give the figure the sample reported.
            var corpus = NabCorpus.LoadSeries(TestData.NabDirectory);
            var standard = NabCorpus.LoadProfiles(TestData.NabDirectory).Single(p => p.Name == "standard");
            var written = corpus.Where(s => File.Exists(Path.Combine(dir, "results", "autoencoder", s.Category, "autoencoder_" + s.Name[(s.Category.Length + 1)..])))
                .Select(s => NabCorpus.LoadRun(dir, "autoencoder", s)).ToArray();
            Assert.Equal(6, written.Length);
            Assert.All(written, run => Assert.Equal(0, run.Scores[..NabScorer.ProbationaryLength(run.Scores.Length)].Max()));
            Assert.Equal(results.GetProperty("nab_autoencoder_standard").GetDouble(), Math.Round(NabScorer.Sweep(written, standard).Normalized, 2), 6);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
