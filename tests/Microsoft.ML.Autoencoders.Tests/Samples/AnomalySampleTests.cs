using Microsoft.ML.Autoencoders.Tests.Infrastructure;

namespace Microsoft.ML.Autoencoders.Tests.Samples;

[Collection(ChildProcesses.Collection)]
[Trait("Category", "Slow")]
public class AnomalySampleTests
{
    [Fact]
    public void Quick_run_writes_the_report_the_pictures_and_AUCs_well_above_chance()
    {
        var (dir, results, _) = SampleRunner.Run("anomaly");
        try
        {
            foreach (var file in new[] { "report.md", "roc.png", "most_and_least_anomalous.png" })
                Assert.True(new FileInfo(Path.Combine(dir, file)).Length > 1000, $"{file} missing or empty");
            foreach (var key in new[] { "mean_auc_autoencoder", "mean_auc_randomized_pca", "mean_auc_conv_autoencoder", "mean_auc_contaminated", "mean_auc_contaminated_robust" })
                Assert.InRange(results.GetProperty(key).GetDouble(), 0.0, 1.0);
            Assert.InRange(results.GetProperty("digits_autoencoder_above_pca").GetInt32(), 0, 2);
            // Two digits from 6,000 training images: a smoke run, yet every detector must already tell the digit from the others.
            Assert.True(results.GetProperty("mean_auc_autoencoder").GetDouble() > 0.9);
            Assert.True(results.GetProperty("mean_auc_conv_autoencoder").GetDouble() > 0.9);
            Assert.True(results.GetProperty("scoring_rows_per_second").GetDouble() > 0);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
