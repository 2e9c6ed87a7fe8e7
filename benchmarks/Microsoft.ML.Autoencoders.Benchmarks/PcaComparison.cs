using System.Diagnostics;
using AutoencoderSamples.Common;
using Microsoft.ML;
using Microsoft.ML.Autoencoders;
using Microsoft.ML.Autoencoders.Datasets;
using Microsoft.ML.Data;

namespace AutoencoderBenchmarks;

/// <summary>
/// What a user would pick instead: ML.NET PCA(30) fit time and test reconstruction error beside one autoencoder
/// epoch's time and the error after that epoch (squared error summed over the pixels, averaged over test images).
/// </summary>
internal static class PcaComparison
{
    public static IEnumerable<BenchmarkRow> Run(IReadOnlyList<MnistImage> train, IReadOnlyList<MnistImage> test)
    {
        var ml = new MLContext(seed: 1);
        var view = ml.Data.LoadFromEnumerable(train);
        var testView = ml.Data.LoadFromEnumerable(test);
        var testPixels = test.Select(t => t.Pixels).ToArray();

        var clock = Stopwatch.StartNew();
        var pca = PcaBaseline.Fit(ml, view, "Pixels", 30, seed: 1);
        double pcaSeconds = clock.Elapsed.TotalSeconds;
        double pcaError = Metrics.MeanSummedSquaredError(testPixels, pca.Encode(testView).Select(pca.Reconstruct).ToArray());

        using var ae = ml.Transforms.AutoencoderFeaturizer("Code", "Pixels", new AutoencoderOptions
        {
            EncoderLayers = [1000, 500, 250], CodeSize = 30, Epochs = 1, BatchSize = 128, CacheInMemory = true, Seed = 1,
            ReconstructionErrorColumnName = "Error",
        }).Fit(view);
        double epochSeconds = train.Count / ae.TrainingHistory[0].SamplesPerSecond;
        double aeError = ae.Transform(testView).GetColumn<VBuffer<float>>("Error").Average(e => e.GetItemOrDefault(0));

        yield return new BenchmarkRow("ae_one_epoch_seconds_vs_pca_fit", "Autoencoder 784-1000-500-250-30, one epoch (s)", epochSeconds, "ML.NET PCA(30) fit + reading its components (s)", pcaSeconds, "report", pcaSeconds / epochSeconds);
        yield return new BenchmarkRow("ae_one_epoch_test_sse_vs_pca", "Autoencoder test SSE after that one epoch", aeError, "PCA(30) test SSE", pcaError, "report (PCA 13.87 published)", pcaError / aeError);
    }
}
