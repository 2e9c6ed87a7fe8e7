using Microsoft.ML.Autoencoders.Tests.Infrastructure;

namespace Microsoft.ML.Autoencoders.Tests.Samples;

[Collection(ChildProcesses.Collection)]
[Trait("Category", "Slow")]
public class SweepSampleTests
{
    [Fact]
    public void Quick_run_compares_the_tuners_and_finds_codes_far_above_chance_on_MNIST_and_Reuters()
    {
        var (dir, results, _) = SampleRunner.Run("sweep");
        try
        {
            foreach (var file in new[] { "report.md", "mnist_best_so_far.png" })
                Assert.True(new FileInfo(Path.Combine(dir, file)).Length > 1000, $"{file} missing or empty");
            var runs = results.GetProperty("mnist_trials").EnumerateArray().ToArray();
            Assert.Equal(["random", "halving", "local"], runs.Select(r => r.GetProperty("Tuner").GetString()));
            Assert.All(runs, r => Assert.True(r.GetProperty("Trials").GetInt32() >= 1));
            // Seconds-based budgets make the trial count depend on the machine: the bars are far above chance (0.1 for digits,
            // about 0.3 for Reuters topics), not tuned figures.
            Assert.True(results.GetProperty("mnist_best_test_accuracy").GetDouble() > 0.4);
            Assert.InRange(results.GetProperty("mnist_default_test_accuracy").GetDouble(), 0.1, 1.0);
            Assert.True(results.GetProperty("reuters_best_p_at_10").GetDouble() > 0.3);
            Assert.True(results.GetProperty("random_seconds_to_best").GetDouble() > 0);
            Assert.True(results.TryGetProperty("halving_seconds_to_random_best", out _));
            Assert.True(results.TryGetProperty("local_seconds_to_random_best", out _));
            Assert.Contains("library defaults", File.ReadAllText(Path.Combine(dir, "report.md")));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
