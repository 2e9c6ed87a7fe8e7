using Microsoft.ML;
using Microsoft.ML.Autoencoders;
using Microsoft.ML.Autoencoders.Datasets;

namespace AutoencoderBenchmarks;

/// <summary>Seconds per epoch as rows grow (15k / 30k / 60k) and as the layers widen (×0.5 / ×1 / ×2).</summary>
internal static class Scaling
{
    public static IEnumerable<BenchmarkRow> Run(IReadOnlyList<MnistImage> images, bool quick)
    {
        int[] baseLayers = [1000, 500, 250];
        int[] rowCounts = quick ? [1000, 2000] : [15000, 30000, 60000];
        double? perRowAtFirst = null;
        foreach (var rows in rowCounts.Where(r => r <= images.Count))
        {
            double seconds = EpochSeconds(images.Take(rows).ToList(), baseLayers);
            perRowAtFirst ??= seconds / rows;
            yield return new BenchmarkRow($"seconds_per_epoch_{rows}_rows", $"Seconds per epoch, {rows} rows, 784-1000-500-250-30", seconds,
                $"linear prediction from {rowCounts[0]} rows", perRowAtFirst.Value * rows, "linear in rows (ratio ≈ 1)", perRowAtFirst.Value * rows / seconds);
        }

        var widthRows = images.Take(quick ? 1000 : 15000).ToList();
        double? secondsPerFlopAtBase = null;
        foreach (var factor in new[] { 1.0, 0.5, 2.0 })
        {
            int[] layers = baseLayers.Select(l => (int)(l * factor)).ToArray();
            double seconds = EpochSeconds(widthRows, layers);
            double flops = ComputeEfficiency.TrainingFlopsPerSample([784, .. layers, 30, .. layers.Reverse(), 784]);
            secondsPerFlopAtBase ??= seconds / flops;
            yield return new BenchmarkRow($"seconds_per_epoch_width_x{factor.ToString(System.Globalization.CultureInfo.InvariantCulture).Replace('.', '_')}", $"Seconds per epoch, width ×{factor} (784-{string.Join('-', layers)}-30), {widthRows.Count} rows", seconds,
                "FLOP-proportional prediction from ×1", secondsPerFlopAtBase.Value * flops, "follows FLOPs (ratio ≈ 1)", secondsPerFlopAtBase.Value * flops / seconds);
        }
    }

    private static double EpochSeconds(IReadOnlyList<MnistImage> rows, int[] layers)
    {
        var ml = new MLContext(seed: 1);
        using var model = ml.Transforms.AutoencoderFeaturizer("Code", "Pixels",
            new AutoencoderOptions { EncoderLayers = layers, CodeSize = 30, Epochs = 2, CacheInMemory = true, Seed = 1 }).Fit(ml.Data.LoadFromEnumerable(rows));
        // The second epoch: the first pays one-off warm-up costs.
        return rows.Count / model.TrainingHistory[^1].SamplesPerSecond;
    }
}
