using Microsoft.ML.Autoencoders.Datasets;
using Microsoft.ML.Autoencoders.Tests.Infrastructure;

namespace Microsoft.ML.Autoencoders.Tests.Samples;

[Collection(ChildProcesses.Collection)]
[Trait("Category", "Slow")]
public class ImageSearchSampleTests
{
    private static readonly string[] Methods = ["pixels", "pca", "dense_ae", "conv_ae", "conv_upsample_ae"];

    [Fact]
    public void Quick_run_writes_mnist_as_pngs_searches_by_every_method_and_reports_sane_numbers()
    {
        var (dir, results, _) = SampleRunner.Run("image-search");
        try
        {
            // The digits went through real files: one folder per digit, PNGs inside.
            var trainFolders = Directory.GetDirectories(Path.Combine(dir, "images", "train"));
            Assert.Equal(10, trainFolders.Length);
            Assert.Equal(results.GetProperty("database_rows").GetInt32(), trainFolders.Sum(f => Directory.GetFiles(f, "*.png").Length));

            Assert.True(new FileInfo(Path.Combine(dir, "report.md")).Length > 500);
            foreach (var method in Methods)
            {
                Assert.True(new FileInfo(Path.Combine(dir, $"search_{method}.png")).Length > 1000, $"contact sheet of {method}");
                // Far above chance (0.1) for every method, even after a smoke run.
                Assert.InRange(results.GetProperty($"{method}_p_at_10").GetDouble(), 0.3, 1.0);
            }
            foreach (var key in new[] { "dense_ae_test_sse", "conv_ae_test_sse", "dense_ae_params", "conv_ae_params" })
                Assert.True(results.GetProperty(key).GetDouble() > 0, key);
            Assert.True(results.GetProperty("conv_ae_params").GetDouble() < results.GetProperty("dense_ae_params").GetDouble());
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void Validation_split_takes_its_queries_from_the_last_training_digits_and_writes_no_test_digits()
    {
        var (dir, results, _) = SampleRunner.Run("image-search", "--validation", "--epochs", "1");
        try
        {
            Assert.True(results.GetProperty("validation_split").GetBoolean());
            int database = results.GetProperty("database_rows").GetInt32(), held = results.GetProperty("query_rows").GetInt32();
            Assert.Equal((database + held) / 6, held);
            // The query folders hold exactly the digits of the last sixth of the training rows read, per digit.
            var expected = Mnist.ReadImages(TestData.MnistDirectory, MnistSplit.Train, database + held).Skip(database)
                .GroupBy(m => m.Digit).ToDictionary(g => g.Key, g => g.Count());
            var queries = Path.Combine(dir, "validation-images", "test");
            foreach (var (digit, count) in expected)
                Assert.Equal(count, Directory.GetFiles(Path.Combine(queries, digit.ToString()), "*.png").Length);
            Assert.False(Directory.Exists(Path.Combine(dir, "images")), "a validation run writes no test-set images");
            Assert.InRange(results.GetProperty("pixels_p_at_10").GetDouble(), 0.3, 1.0);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void Any_folder_of_images_can_be_indexed_with_labels_from_sub_folders()
    {
        var images = Directory.CreateTempSubdirectory("ae-shapes-sample-");
        try
        {
            ShapeImages.Write(images.FullName, perClass: 30);
            File.WriteAllText(Path.Combine(images.FullName, "README.txt"), "not an image");
            var (dir, results, console) = SampleRunner.Run("image-search", "--images", images.FullName, "--image-size", "24", "--epochs", "15");
            try
            {
                Assert.Contains("README.txt", console); // reported as skipped, not fatal
                Assert.Equal(90, results.GetProperty("database_rows").GetInt32() + results.GetProperty("query_rows").GetInt32());
                Assert.True(results.GetProperty("conv_ae_p_at_10").GetDouble() > 0.6, "same-class shapes should come first");
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
