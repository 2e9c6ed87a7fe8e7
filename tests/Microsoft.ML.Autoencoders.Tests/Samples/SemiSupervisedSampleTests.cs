using Microsoft.ML.Autoencoders.Tests.Infrastructure;

namespace Microsoft.ML.Autoencoders.Tests.Samples;

[Collection(ChildProcesses.Collection)]
[Trait("Category", "Slow")]
public class SemiSupervisedSampleTests
{
    [Fact]
    public void Quick_run_writes_every_error_the_learning_curves_and_a_ladder_that_reloads_identically()
    {
        var (dir, results, _) = SampleRunner.Run("semisupervised");
        try
        {
            foreach (var key in new[] { "ladder_labels100_test_error", "ladder_labels1000_test_error", "ladder_all_labels_test_error",
                         "supervised_labels100_test_error", "supervised_labels1000_test_error", "supervised_all_labels_test_error" })
                Assert.InRange(results.GetProperty(key).GetDouble(), 0.0, 1.0);
            Assert.True(results.GetProperty("ladder_seconds_per_run").GetDouble() > 0);
            Assert.True(results.GetProperty("reload_identical_predictions").GetBoolean());
            foreach (var curve in new[] { "ladder_labels100_curve.png", "ladder_labels1000_curve.png", "ladder_all_labels_curve.png" })
                Assert.True(new FileInfo(Path.Combine(dir, curve)).Length > 1000, curve);
            // A smoke run (3k images, one epoch), yet every label must already be far better than chance (90% error).
            Assert.True(results.GetProperty("ladder_all_labels_test_error").GetDouble() < 0.4);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
