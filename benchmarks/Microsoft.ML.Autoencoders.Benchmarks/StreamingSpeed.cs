using System.Diagnostics;
using Microsoft.ML;
using Microsoft.ML.Autoencoders;

namespace AutoencoderBenchmarks;

/// <summary>
/// Streaming anomaly detection: points/s and p99 latency of <see cref="StreamingAnomalyModel.Score"/>, one point per
/// call, on a detector saved and loaded back (a 3-channel noisy sine stream, window 32), beside the targets.
/// </summary>
internal static class StreamingSpeed
{
    public static IEnumerable<BenchmarkRow> Run(bool quick)
    {
        var random = new Random(1);
        float[] Point(int t) => [.. Enumerable.Range(0, 3).Select(c => (float)(Math.Sin(2 * Math.PI * t / (30 + 11 * c)) + 0.1 * random.NextDouble()))];
        var training = Enumerable.Range(0, 2000).Select(Point).ToArray();
        int count = quick ? 20_000 : 200_000;
        var stream = Enumerable.Range(2000, count).Select(Point).ToArray();
        var path = Path.Combine(Path.GetTempPath(), $"streaming-benchmark-{Guid.NewGuid():N}.zip");
        try
        {
            using (var fitted = new MLContext(seed: 1).AnomalyDetection.Trainers.StreamingAutoencoder(new StreamingAnomalyDetectorOptions
                   { Network = new AutoencoderOptions { EncoderLayers = [32], CodeSize = 4, Augmentation = null, Epochs = 5, Seed = 1 } }).Fit(training))
                fitted.Save(path);
            using var model = StreamingAnomalyModel.Load(path);
            foreach (var p in stream.Take(1000)) model.Score(p); // warm-up
            var latencies = new double[count - 1000];
            var clock = Stopwatch.StartNew();
            for (int i = 1000; i < count; i++)
            {
                long start = Stopwatch.GetTimestamp();
                model.Score(stream[i]);
                latencies[i - 1000] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            }
            double perSecond = latencies.Length / clock.Elapsed.TotalSeconds;
            Array.Sort(latencies);
            double p99 = latencies[(int)(0.99 * (latencies.Length - 1))];
            yield return new BenchmarkRow("stream_points_per_second", "streaming detector, saved and loaded: points/s, one Score call each (3 channels, window 32)",
                perSecond, "target (points/s)", 10_000, "≥ 1", perSecond / 10_000);
            yield return new BenchmarkRow("stream_p99_latency_ms", "streaming detector: p99 latency of one Score call (ms)", p99, "target (ms)", 1, "≥ 1 (target ÷ latency)", 1 / p99);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
