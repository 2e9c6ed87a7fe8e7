using System.Diagnostics;
using Microsoft.ML;
using Microsoft.ML.Autoencoders;
using Microsoft.ML.Autoencoders.Datasets;
using Microsoft.ML.Data;

namespace AutoencoderBenchmarks;

/// <summary>What a user would pick instead: ML.NET PCA(30) fit time beside one autoencoder epoch.</summary>
internal static class PcaComparison
{
    public static IEnumerable<BenchmarkRow> Run(IReadOnlyList<MnistImage> train)
    {
        var ml = new MLContext(seed: 1);
        var view = ml.Data.LoadFromEnumerable(train);
        var clock = Stopwatch.StartNew();
        var pca = ml.Transforms.ProjectToPrincipalComponents("Pca", "Pixels", rank: 30, overSampling: 60, seed: 1).Fit(view);
        double pcaSeconds = clock.Elapsed.TotalSeconds;

        using var ae = ml.Transforms.AutoencoderFeaturizer("Code", "Pixels",
            new AutoencoderOptions { EncoderLayers = [1000, 500, 250], CodeSize = 30, Epochs = 1, CacheInMemory = true, Seed = 1 }).Fit(view);
        double epochSeconds = train.Count / ae.TrainingHistory[0].SamplesPerSecond;
        yield return new BenchmarkRow("ML.NET PCA(30) fit, seconds", pcaSeconds, "autoencoder 784-1000-500-250-30, one epoch, seconds", epochSeconds, "report", epochSeconds / pcaSeconds);
        GC.KeepAlive(pca);
    }
}
