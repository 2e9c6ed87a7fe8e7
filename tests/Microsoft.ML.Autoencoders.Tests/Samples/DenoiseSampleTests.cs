using Microsoft.ML.Autoencoders.Tests.Infrastructure;

namespace Microsoft.ML.Autoencoders.Tests.Samples;

[Collection(ChildProcesses.Collection)]
[Trait("Category", "Slow")]
public class DenoiseSampleTests
{
    [Fact]
    public void Quick_run_writes_the_report_the_pictures_and_sane_numbers()
    {
        var (dir, results, _) = SampleRunner.Run("denoise");
        try
        {
            foreach (var file in new[] { "report.md", "mask50.png", "gauss05.png", "filters_sparse.png", "filters_dense.png" })
                Assert.True(new FileInfo(Path.Combine(dir, file)).Length > 1000, $"{file} missing or empty");
            foreach (var key in new[] { "mask50_noisy_mse", "mask50_plain_ae_mse", "mask50_dae_mse", "gauss05_noisy_mse", "gauss05_dae_mse", "sparse_mean_activation", "sparse_target_rho" })
                Assert.True(results.TryGetProperty(key, out _), key);
            // Two epochs on 4k images are a smoke run (learning itself is tested in DenoisingAutoencoderTests):
            // outputs are sane, and the Gaussian-trained network already beats its σ = 0.5 noisy input.
            Assert.InRange(results.GetProperty("mask50_dae_mse").GetDouble(), 0.0, 0.1);
            Assert.True(results.GetProperty("gauss05_dae_mse").GetDouble() < results.GetProperty("gauss05_noisy_mse").GetDouble());
            Assert.InRange(results.GetProperty("gauss05_noisy_mse").GetDouble(), 0.05, 0.3);
            Assert.InRange(results.GetProperty("sparse_mean_activation").GetDouble(), 0.0, 1.0);
            Assert.Equal(0.05, results.GetProperty("sparse_target_rho").GetDouble());
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
