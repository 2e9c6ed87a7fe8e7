using Microsoft.ML.Autoencoders.Tests.Infrastructure;

namespace Microsoft.ML.Autoencoders.Tests.Samples;

[Collection(ChildProcesses.Collection)]
[Trait("Category", "Slow")]
public class PretrainSampleTests
{
    [Fact]
    public void Quick_run_writes_the_report_with_every_error_and_a_model_that_reloads_identically()
    {
        var (dir, results, _) = SampleRunner.Run("pretrain");
        try
        {
            Assert.True(new FileInfo(Path.Combine(dir, "report.md")).Length > 500);
            foreach (var key in new[] { "labels100_random_init_error", "labels100_pretrained_error", "labels1000_random_init_error",
                         "labels1000_pretrained_error", "all_labels_pretrained_error", "labels100_logreg_pixels_error", "labels1000_logreg_pretrained_features_error" })
                Assert.InRange(results.GetProperty(key).GetDouble(), 0.0, 1.0);
            Assert.True(results.GetProperty("reload_identical_predictions").GetBoolean());
            // A smoke run (3k images, one pretraining epoch), yet 1000 labels must already be far better than chance (90% error).
            Assert.True(results.GetProperty("labels1000_pretrained_error").GetDouble() < 0.4);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
