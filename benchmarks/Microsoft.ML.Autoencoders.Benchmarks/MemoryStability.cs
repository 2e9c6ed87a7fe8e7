using System.Diagnostics;
using Microsoft.ML;
using Microsoft.ML.Autoencoders;
using Microsoft.ML.Autoencoders.Datasets;
using Microsoft.ML.Data;

namespace AutoencoderBenchmarks;

/// <summary>
/// Memory: resident set size after 1, 10 and 30 training epochs and across 100 repeated Transform passes.
/// Native tensors or ONNX sessions that leak would make these grow. Training is measured without forcing a
/// collection, as a user sees it: native memory left to finalizers shows up there.
/// </summary>
internal static class MemoryStability
{
    public static IEnumerable<BenchmarkRow> Run(IReadOnlyList<MnistImage> train, IReadOnlyList<MnistImage> test, bool quick)
    {
        var ml = new MLContext(seed: 1);
        var view = ml.Data.LoadFromEnumerable(train);
        var rss = new Dictionary<int, double>();
        int[] checkpoints = quick ? [1, 3] : [1, 10, 30];
        var options = new AutoencoderOptions
        {
            EncoderLayers = [1000, 500, 250], CodeSize = 30, Epochs = checkpoints[^1], Seed = 1,
            Progress = new Callback<EpochReport>(r => { if (checkpoints.Contains(r.Epoch)) rss[r.Epoch] = ResidentMegabytes(collect: false); }),
        };
        using var model = ml.Transforms.AutoencoderFeaturizer("Code", "Pixels", options).Fit(view);
        foreach (var epoch in checkpoints.Skip(1))
            yield return new BenchmarkRow($"rss_streaming_training_{epoch}_epochs_mb", $"RSS after {epoch} epochs (MB, streaming, {train.Count} rows, no forced GC)", rss[epoch], "after 1 epoch (MB)", rss[1], "flat (ratio ≈ 1)", rss[1] / rss[epoch]);

        var testView = ml.Data.LoadFromEnumerable(test.Take(1000));
        int passes = quick ? 10 : 100;
        double afterFirst = 0;
        for (int pass = 1; pass <= passes; pass++)
        {
            using (var cursor = model.Transform(testView).GetRowCursor(model.GetOutputSchema(testView.Schema).Where(c => c.Name == "Code")))
            {
                var getter = cursor.GetGetter<VBuffer<float>>(cursor.Schema["Code"]);
                var value = default(VBuffer<float>);
                while (cursor.MoveNext()) getter(ref value);
            }
            if (pass == 1) afterFirst = ResidentMegabytes();
        }
        double afterAll = ResidentMegabytes();
        yield return new BenchmarkRow("rss_transform_passes_mb", $"RSS after {passes} Transform passes over 1000 rows (MB)", afterAll, "after 1 pass (MB)", afterFirst, "flat (ratio ≈ 1)", afterFirst / afterAll);
        // The denoising path with the in-memory cache, measured as a user sees it (no forced GC): corruption and
        // cached batches allocate per step, so a tensor left to the finalizer would show here.
        var raw = new Dictionary<int, double>();
        int[] daeCheckpoints = quick ? [1, 2] : [1, 5];
        var dae = new DenoisingAutoencoderOptions
        {
            EncoderLayers = [1000, 500, 250], CodeSize = 30, Epochs = daeCheckpoints[^1], Seed = 1, CacheInMemory = true,
            Corruption = CorruptionKind.Masking, CorruptionLevel = 0.5,
            Progress = new Callback<EpochReport>(r => { if (daeCheckpoints.Contains(r.Epoch)) raw[r.Epoch] = ResidentMegabytes(collect: false); }),
        };
        using (ml.Transforms.DenoisingAutoencoder("Code", "Pixels", dae).Fit(view)) { }
        yield return new BenchmarkRow("rss_denoising_training_mb", $"RSS after {daeCheckpoints[^1]} denoising epochs (MB, in-memory cache, no forced GC)", raw[daeCheckpoints[^1]],
            "after 1 epoch (MB)", raw[1], "flat (ratio ≈ 1)", raw[1] / raw[daeCheckpoints[^1]]);
        yield return new BenchmarkRow("peak_rss_mb", "Peak RSS of the benchmark process (MB)", Process.GetCurrentProcess().PeakWorkingSet64 / 1048576.0, "—", 0, "report", 0);
    }

    private static double ResidentMegabytes(bool collect = true)
    {
        if (collect)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
        }
        using var self = Process.GetCurrentProcess();
        self.Refresh();
        return self.WorkingSet64 / 1048576.0;
    }

    private sealed class Callback<T>(Action<T> action) : IProgress<T>
    {
        public void Report(T value) => action(value);
    }
}
