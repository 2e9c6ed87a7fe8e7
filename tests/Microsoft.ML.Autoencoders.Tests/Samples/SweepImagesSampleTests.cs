using Microsoft.ML.Autoencoders.Tests.Infrastructure;

namespace Microsoft.ML.Autoencoders.Tests.Samples;

[Collection(ChildProcesses.Collection)]
[Trait("Category", "Slow")]
public class SweepImagesSampleTests
{
    [Fact]
    public void Quick_sweep_of_a_folder_compares_the_tuners_and_reports_the_best_against_PCA_pixels_and_defaults()
    {
        var images = Directory.CreateTempSubdirectory("ae-sweep-images-");
        try
        {
            ShapeImages.Write(images.FullName, perClass: 40);
            var (dir, results, _) = SampleRunner.Run("sweep-images", "--images", images.FullName, "--image-size", "24");
            try
            {
                foreach (var file in new[] { "report.md", "best_so_far.png" })
                    Assert.True(new FileInfo(Path.Combine(dir, file)).Length > 1000, $"{file} missing or empty");
                var runs = results.GetProperty("trials").EnumerateArray().ToArray();
                Assert.Equal(["random", "halving", "local"], runs.Select(r => r.GetProperty("Tuner").GetString()));
                Assert.All(runs, r => Assert.True(r.GetProperty("Trials").GetInt32() >= 1));
                Assert.Equal(120, results.GetProperty("database_rows").GetInt32() + results.GetProperty("query_rows").GetInt32());
                // Three shape classes (chance 1/3); the quick budget makes the trials machine-dependent, so the bar is
                // well above chance rather than a tuned figure. The baselines are measured on the same test queries.
                Assert.True(results.GetProperty("images_best_p_at_10").GetDouble() > 0.5);
                foreach (var key in new[] { "images_pca_p_at_10", "images_pixels_p_at_10", "images_default_p_at_10" })
                    Assert.InRange(results.GetProperty(key).GetDouble(), 0.0, 1.0);
                Assert.InRange(results.GetProperty("best_code_size").GetInt32(), 4, 128);
                Assert.True(results.TryGetProperty("halving_seconds_to_random_best", out _));
                Assert.Contains("PCA,", File.ReadAllText(Path.Combine(dir, "report.md")));
            }
            finally
            {
                Directory.Delete(dir, recursive: true);
            }
        }
        finally
        {
            images.Delete(recursive: true);
        }
    }
}
