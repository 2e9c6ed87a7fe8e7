using Microsoft.ML.Autoencoders.Tests.Infrastructure;

namespace Microsoft.ML.Autoencoders.Tests.Samples;

/// <summary>The main job in --quick mode, end to end, in its own process.</summary>
[Collection(ChildProcesses.Collection)]
[Trait("Category", "Slow")]
public class MnistSampleTests
{
    [Fact]
    public void Quick_run_writes_the_report_the_pictures_and_sane_numbers()
    {
        var (dir, results, _) = SampleRunner.Run("mnist");
        try
        {
            foreach (var file in new[] { "report.md", "results.json", "reconstructions.png", "map_pca2.png", "map_ae2.png", "training_curve.png" })
                Assert.True(new FileInfo(Path.Combine(dir, file)).Length > 1000 || file.EndsWith(".json"), $"{file} missing or empty");

            double pca30 = results.GetProperty("pca30_test_sse").GetDouble();
            double ae30 = results.GetProperty("ae30_test_sse").GetDouble();
            double pca2 = results.GetProperty("pca2_knn5_accuracy").GetDouble();
            double ae2 = results.GetProperty("ae2_knn5_accuracy").GetDouble();
            Assert.InRange(pca30, 10, 20);           // 4k training images: a little above the full-data 13.87
            Assert.InRange(ae30, 1, 60);             // 2 epochs: learning, far from converged
            Assert.InRange(pca2, 0.2, 0.6);
            Assert.InRange(ae2, 0.1, 1.0);
            Assert.True(results.GetProperty("ae30_train_seconds").GetDouble() > 0);
            Assert.Equal(2, results.GetProperty("epochs").GetInt32());
            Assert.True(results.GetProperty("quick").GetBoolean());
            // The test error is watched every epoch in quick mode; the last measurement is the reported figure.
            var curve = results.GetProperty("ae30_test_sse_curve");
            Assert.Equal(2, curve.EnumerateObject().Count());
            Assert.Equal(ae30, curve.GetProperty("2").GetDouble(), 3);
            Assert.Equal("PerRow", results.GetProperty("augment_scope").GetString());

            var report = File.ReadAllText(Path.Combine(dir, "report.md"));
            Assert.Contains("(reconstructions.png)", report);
            Assert.Contains("(map_ae2.png)", report);
            Assert.Contains("(training_curve.png)", report);
            Assert.Contains($"{pca30:F2}", report);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void Validation_split_evaluates_on_the_last_sixth_of_the_training_images()
    {
        var (dir, results, _) = SampleRunner.Run("mnist", "--validation", "--epochs", "1");
        try
        {
            Assert.True(results.GetProperty("validation_split").GetBoolean());
            int train = results.GetProperty("train_rows").GetInt32(), held = results.GetProperty("test_rows").GetInt32();
            // Quick mode reads the first 4,000 training images (and 1,000 test images, which a validation run must not use).
            Assert.Equal(4000, train + held);
            Assert.Equal(4000 / 6, held);
            Assert.InRange(results.GetProperty("ae2_knn5_accuracy").GetDouble(), 0.1, 1.0);
            var report = File.ReadAllText(Path.Combine(dir, "report.md"));
            Assert.Contains("validation images", report);
            Assert.DoesNotContain("test error", report);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
