using System.CommandLine;
using System.Diagnostics;
using AutoencoderSamples.Common;
using Microsoft.ML;
using Microsoft.ML.Autoencoders;
using Microsoft.ML.Autoencoders.Datasets.Nab;

namespace AutoencoderSamples.Scenarios;

/// <summary>
/// The Numenta Anomaly Benchmark: each series scored as a stream by our detectors — the streaming window autoencoder
/// and a PCA-on-windows baseline (ML.NET's PCA, the same likelihood) — trained on the probationary period (the first
/// 15 %, at most 750 points), then scored one point at a time; beside them the published detectors' own scores, all
/// re-scored by the same NAB scorer (one threshold swept per detector and profile over the corpus).
/// </summary>
internal static class NabScenario
{
    public static class Settings
    {
        /// <summary>Series in quick mode: the first of each category.</summary>
        public const int QuickPerCategory = 1;
        public const int PcaRank = 4;
        /// <summary>Epochs of the sequence autoencoder (its automatic count, ~3,000 steps, costs ~10 s a series).</summary>
        public const int SequenceEpochs = 60;
        public const string PlotSeries = "realKnownCause/nyc_taxi.csv";
    }

    public static Command Create()
    {
        var command = new Command("nab", "Numenta Anomaly Benchmark: the streaming window autoencoder and a PCA baseline beside the published detectors, re-scored by NAB's rules.");
        var output = SampleOptions.AddTo(command, Path.Combine("out", "nab"));
        var window = new Option<int?>("--window") { Description = $"Points per window (default {StreamingAnomalyDetectorOptions.Defaults.Window})." };
        var hidden = new Option<string?>("--hidden") { Description = "Hidden layer sizes of the dense window autoencoder, comma-separated ('none' for a single linear layer to the code)." };
        var code = new Option<int?>("--code") { Description = "Code size of the window autoencoder (default: the detector's)." };
        var retrain = new Option<int?>("--retrain-every") { Description = "Retrain the autoencoder after every this many points (default: never)." };
        var spatial = new Option<double?>("--spatial-tolerance") { Description = "HTM's spatial rule: a value beyond the range seen so far by this fraction of it scores 1; negative turns it off (default: the detector's)." };
        var tod = new Option<bool>("--time-of-day") { Description = "Give the autoencoders two more channels: sine and cosine of the time of day." };
        var noSequence = new Option<bool>("--skip-sequence") { Description = "Leave out the sequence (temporal-convolution) autoencoder." };
        var scored = new Option<int?>("--scored-steps") { Description = $"Newest time steps whose error scores a point; 0 = the whole window (default {StreamingAnomalyDetectorOptions.Defaults.ScoredSteps})." };
        var raw = new Option<bool>("--raw-errors") { Description = "Estimate the likelihood on raw errors instead of log errors." };
        var series = new Option<string?>("--series") { Description = "Only series whose name contains one of these comma-separated parts." };
        foreach (var o in new Option[] { window, hidden, code, retrain, scored, raw, spatial, tod, noSequence, series }) command.Options.Add(o);
        command.SetAction(result => Run(SampleOptions.From(result, output), result.GetValue(window), result.GetValue(code), result.GetValue(retrain),
            result.GetValue(scored), result.GetValue(raw), result.GetValue(series), result.GetValue(noSequence), result.GetValue(spatial), result.GetValue(hidden), result.GetValue(tod)));
        return command;
    }

    private sealed record DetectorRun(string Detector, NabSeries Series, double[] Scores);

    public static int Run(SampleOptions o, int? window = null, int? code = null, int? retrainEvery = null, int? scoredSteps = null, bool rawErrors = false, string? seriesFilter = null, bool skipSequence = false, double? spatialTolerance = null, string? hidden = null, bool timeOfDay = false)
    {
        var clock = Stopwatch.StartNew();
        var folder = NabCorpus.Find(o.DataDirectory, message => o.Say(message));
        var all = NabCorpus.LoadSeries(folder);
        var corpus = all.Where(s => seriesFilter is null || seriesFilter.Split(',').Any(part => s.Name.Contains(part.Trim(), StringComparison.OrdinalIgnoreCase)))
            .Where((s, i) => !o.Quick || all.Where(x => x.Category == s.Category).Take(Settings.QuickPerCategory).Contains(s)).ToArray();
        if (corpus.Length == 0) throw new ArgumentException($"No NAB series matches --series '{seriesFilter}'.");
        var profiles = NabCorpus.LoadProfiles(folder);
        var standard = profiles.Single(p => p.Name == "standard");
        var options = DetectorOptions(o, window, code, retrainEvery, scoredSteps, rawErrors, spatialTolerance);
        if (hidden is not null) options.Network.EncoderLayers = hidden == "none" ? [] : [.. hidden.Split(',').Select(int.Parse)];
        var sequenceOptions = DetectorOptions(o, window, code, retrainEvery, scoredSteps, rawErrors, spatialTolerance);
        sequenceOptions.Network = new SequenceAutoencoderOptions { Seed = o.Seed, Epochs = o.Quick ? 5 : Settings.SequenceEpochs, CodeSize = code ?? SequenceAutoencoderFeaturizer.Defaults.CodeSize };
        o.Say($"{corpus.Length} series, {corpus.Sum(s => s.Values.Length):N0} points; window {options.Window}, scored steps {options.ScoredSteps?.ToString() ?? "all"}, {(rawErrors ? "raw" : "log")} errors, code {options.Network.CodeSize}, retraining {(retrainEvery is int r ? $"every {r} points" : "never")}.");

        var runs = new List<DetectorRun>();
        var latencies = new List<double>();
        double streamSeconds = 0;
        long streamedPoints = 0;
        var ml = new MLContext(seed: o.Seed);
        foreach (var s in corpus)
        {
            var points = timeOfDay ? WithTimeOfDay(s) : s.Values.Select(v => new[] { (float)v }).ToArray();
            int probation = NabScorer.ProbationaryLength(points.Length);
            var training = points[..probation];

            // The window autoencoders, one point at a time through the streaming model (the dense one timed).
            runs.Add(new DetectorRun("autoencoder", s, Stream(ml, options, points, probation, latencies, ref streamSeconds, ref streamedPoints)));
            if (!skipSequence)
            {
                double unusedSeconds = 0;
                long unusedPoints = 0;
                runs.Add(new DetectorRun("sequence", s, Stream(ml, sequenceOptions, points, probation, null, ref unusedSeconds, ref unusedPoints)));
            }
            runs.Add(new DetectorRun("pca", s, PcaScores(ml, points, probation, options, o.Seed)));
            o.Say($"{s.Name}: {points.Length} points, probation {probation} ({clock.Elapsed.TotalSeconds:F0} s)");
        }
        foreach (var detector in NabCorpus.Detectors(folder))
            foreach (var s in corpus)
            {
                var (asRun, scores) = NabCorpus.LoadRun(folder, detector, s);
                runs.Add(new DetectorRun(detector, asRun, scores));
            }

        var ours = new[] { "autoencoder", "sequence", "pca" }.Where(d => runs.Any(r => r.Detector == d)).ToArray();
        foreach (var run in runs.Where(r => ours.Contains(r.Detector))) WriteResults(o.OutputDirectory, run);

        // One threshold per detector and profile, swept over the corpus.
        var detectors = runs.Select(r => r.Detector).Distinct().ToArray();
        var results = detectors.ToDictionary(d => d, d => profiles.ToDictionary(p => p.Name, p => NabScorer.Sweep(Corpus(runs, d), p)));
        string best = ours.MaxBy(d => results[d]["standard"].Normalized)!;
        var split = Split(corpus);

        var report = new RunReport(o.OutputDirectory, "Numenta Anomaly Benchmark: streaming window autoencoder vs published detectors");
        report.Set("nab_series", corpus.Length);
        report.Set("nab_standard", Math.Round(results[best]["standard"].Normalized, 2));
        report.Set("nab_reward_low_fp", Math.Round(results[best]["reward_low_FP_rate"].Normalized, 2));
        report.Set("nab_reward_low_fn", Math.Round(results[best]["reward_low_FN_rate"].Normalized, 2));
        report.Set("nab_best_detector", best);
        foreach (var d in detectors) report.Set($"nab_{d}_standard", Math.Round(results[d]["standard"].Normalized, 2));
        var bySplit = split.ToDictionary(p => p.Name, p => detectors.ToDictionary(d => d, d => NabScorer.Sweep(Corpus(runs, d, p.Members), standard).Normalized));
        foreach (var (part, scores) in bySplit)
            foreach (var (d, score) in scores) report.Set($"nab_{d}_standard_{part}", Math.Round(score, 2));
        latencies.Sort();
        report.Set("stream_points_per_second", Math.Round(streamedPoints / Math.Max(streamSeconds, 1e-9)));
        report.Set("stream_p99_latency_ms", Math.Round(latencies.Count == 0 ? double.NaN : latencies[(int)(0.99 * (latencies.Count - 1))], 4));
        report.Set("window", options.Window);
        report.Set("code_size", options.Network.CodeSize);
        report.Set("retrain_every", retrainEvery);
        report.Set("scored_steps", options.ScoredSteps ?? options.Window);
        report.Set("log_errors", !rawErrors);
        report.Set("spatial_tolerance", options.SpatialTolerance);
        report.Set("quick", o.Quick);
        report.Set("total_seconds", Math.Round(clock.Elapsed.TotalSeconds, 1));

        report.Line($"{corpus.Length} series ({corpus.Sum(s => s.Values.Length):N0} points) from {folder}. Our detectors learn each series' probationary " +
                $"period and then score it one point at a time (no look-ahead): the window autoencoder (window {options.Window}, dense {string.Join('-', options.Network.EncoderLayers ?? [])}-{options.Network.CodeSize}, " +
                $"the reconstruction error of the newest {options.ScoredSteps ?? options.Window} steps through HTM's anomaly likelihood on {(rawErrors ? "raw" : "log")} errors), the sequence autoencoder (1-D convolutions {string.Join('-', ((SequenceAutoencoderOptions)sequenceOptions.Network).Filters)}, kernel {((SequenceAutoencoderOptions)sequenceOptions.Network).KernelSize}, code {sequenceOptions.Network.CodeSize}, {sequenceOptions.Network.Epochs} epochs; same window and likelihood) and PCA on the same standardised windows (rank {Settings.PcaRank}, ML.NET's PCA, the same likelihood); all three with HTM's spatial rule {(options.SpatialTolerance is double st ? $"(tolerance {st})" : "off")}. " +
                "The published detectors' raw scores come from NAB's results/ folder. Every detector is scored by the same NAB scorer: one threshold per detector and profile, swept over these series.")
            .Line()
            .Table(["detector", .. profiles.Select(p => p.Name), .. split.Select(s => $"standard, {s.Name} ({s.Members.Count} series)")],
                detectors.OrderByDescending(d => results[d]["standard"].Normalized).Select(d =>
                    new[] { ours.Contains(d) ? $"**{d}** (ours)" : d }
                        .Concat(profiles.Select(p => $"{results[d][p.Name].Normalized:F2}"))
                        .Concat(split.Select(s => $"{bySplit[s.Name][d]:F2}")).ToArray()))
            .Line()
            .Line("Standard profile per category, at each detector's corpus threshold:")
            .Line()
            .Table(["detector", .. corpus.Select(s => s.Category).Distinct()],
                detectors.OrderByDescending(d => results[d]["standard"].Normalized).Select(d =>
                    new[] { d }.Concat(corpus.Select(s => s.Category).Distinct().Select(c =>
                        $"{NabScorer.ScoreAt(Corpus(runs, d).Where(r => r.Series.Category == c).ToArray(), standard, results[d]["standard"].Threshold).Normalized:F1}")).ToArray()))
            .Line()
            .Line($"Streaming speed of the window autoencoder (one Score call per point, one thread, retraining calls left out): " +
                $"{report.Get<double>("stream_points_per_second"):N0} points/s, p99 latency {report.Get<double>("stream_p99_latency_ms"):F3} ms. " +
                $"Published full-corpus (58 series) standard scores for reference: ARTime 74.9, Numenta HTM 70.5, Random Cut Forest 51.7, Twitter ADVec 47.1, Windowed Gaussian 39.6.");
        var plotted = corpus.FirstOrDefault(s => s.Name == Settings.PlotSeries) ?? corpus[0];
        NabPlot.Save(report.PathOf("series.png"), plotted,
            [.. new[] { "autoencoder", best, "numenta" }.Distinct().Where(detectors.Contains).Select(d => (d, runs.First(r => r.Detector == d && r.Series.Name == plotted.Name).Scores, results[d]["standard"].Threshold))]);
        report.Image($"{plotted.Name}: values, anomaly windows and detections", "series.png");
        report.Write();
        o.Say($"Wrote {report.PathOf("report.md")} and results.json ({clock.Elapsed.TotalMinutes:F1} min).", always: true);
        return 0;
    }

    /// <summary>Our detector's scores in NAB's results layout (results/&lt;detector&gt;/&lt;category&gt;/&lt;detector&gt;_&lt;file&gt;.csv), which NAB's own scorer reads.</summary>
    private static void WriteResults(string outputDirectory, DetectorRun run)
    {
        var s = run.Series;
        var folder = Directory.CreateDirectory(Path.Combine(outputDirectory, "results", run.Detector, s.Category)).FullName;
        var labels = new bool[s.Values.Length];
        foreach (var (first, last) in s.Windows) for (int i = first; i <= last; i++) labels[i] = true;
        var lines = new List<string> { "timestamp,value,anomaly_score,label" };
        for (int i = 0; i < s.Values.Length; i++)
            lines.Add(FormattableString.Invariant($"{s.Timestamps[i]:yyyy-MM-dd HH:mm:ss},{s.Values[i]},{run.Scores[i]:R},{(labels[i] ? 1 : 0)}"));
        File.WriteAllLines(Path.Combine(folder, $"{run.Detector}_{s.Name[(s.Category.Length + 1)..]}"), lines);
    }

    /// <summary>Each point as [value, sin, cos of the time of day]: channels that let a window place itself in the daily cycle.</summary>
    private static float[][] WithTimeOfDay(NabSeries s) => [.. s.Values.Select((v, i) =>
    {
        double day = 2 * Math.PI * s.Timestamps[i].TimeOfDay.TotalDays;
        return new[] { (float)v, (float)Math.Sin(day), (float)Math.Cos(day) };
    })];

    /// <summary>Trains a streaming detector on the probationary points and scores the rest one at a time; probation rows score 0.</summary>
    private static double[] Stream(MLContext ml, StreamingAnomalyDetectorOptions options, float[][] points, int probation, List<double>? latencies,
        ref double seconds, ref long streamed)
    {
        var scores = new double[points.Length];
        using var model = ml.AnomalyDetection.Trainers.StreamingAutoencoder(options).Fit(points[..probation]);
        var clock = Stopwatch.StartNew();
        for (int i = probation; i < points.Length; i++)
        {
            long start = Stopwatch.GetTimestamp();
            int before = model.Retrainings;
            scores[i] = model.Score(points[i]).Score;
            if (model.Retrainings == before) latencies?.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        }
        seconds += clock.Elapsed.TotalSeconds;
        streamed += points.Length - probation;
        return scores;
    }

    private static IReadOnlyList<(NabSeries Series, double[] Scores)> Corpus(List<DetectorRun> runs, string detector, IReadOnlyCollection<string>? members = null) =>
        runs.Where(r => r.Detector == detector && (members is null || members.Contains(r.Series.Name))).Select(r => (r.Series, r.Scores)).ToArray();

    /// <summary>
    /// Where settings may be chosen and where they are only reported: "tuning" holds the artificial series and every other
    /// real one (in name order), "held-out" the other real series.
    /// </summary>
    private static (string Name, IReadOnlyCollection<string> Members)[] Split(IReadOnlyList<NabSeries> corpus)
    {
        var real = corpus.Where(s => !s.Category.StartsWith("artificial", StringComparison.Ordinal)).Select(s => s.Name).Order(StringComparer.Ordinal).ToArray();
        var heldOut = real.Where((_, i) => i % 2 == 1).ToHashSet();
        return [("tuning", corpus.Select(s => s.Name).Where(n => !heldOut.Contains(n)).ToHashSet()), ("held-out", heldOut)];
    }

    private static StreamingAnomalyDetectorOptions DetectorOptions(SampleOptions o, int? window, int? code, int? retrainEvery, int? scoredSteps, bool rawErrors, double? spatialTolerance)
    {
        var options = new StreamingAnomalyDetectorOptions { RetrainEvery = retrainEvery };
        if (window is int w) options.Window = w;
        options.Network.Seed = o.Seed;
        if (code is int c) options.Network.CodeSize = c;
        if (o.Epochs is int e) options.Network.Epochs = e;
        if (o.Quick) options.Network.Epochs ??= 20;
        if (scoredSteps is int k) options.ScoredSteps = k == 0 ? null : k;
        options.Likelihood.LogErrors = !rawErrors;
        if (spatialTolerance is double t) options.SpatialTolerance = t < 0 ? null : t;
        return options;
    }

    /// <summary>
    /// PCA on the standardised windows of the probationary period (ML.NET's ProjectToPrincipalComponents); every later
    /// window's squared reconstruction error, in order, through the same anomaly likelihood as the autoencoder's.
    /// </summary>
    private static double[] PcaScores(MLContext ml, float[][] points, int probation, StreamingAnomalyDetectorOptions options, int seed)
    {
        int w = options.Window;
        double mean = points[..probation].Average(p => p[0]);
        double sd = Math.Sqrt(points[..probation].Average(p => (p[0] - mean) * (p[0] - mean)));
        if (!(sd > 1e-12 * Math.Max(1, Math.Abs(mean)))) sd = 1;
        var x = points.Select(p => (float)((p[0] - mean) / sd)).ToArray();
        float[] Window(int end) => x[(end - w + 1)..(end + 1)];
        var train = Enumerable.Range(w - 1, probation - w + 1).Select(Window).ToList();
        var pca = PcaBaseline.Fit(ml, VectorData.ToDataView(ml, train, "Window", w), "Window", Math.Min(Settings.PcaRank, w - 1), seed);
        var windows = Enumerable.Range(w - 1, points.Length - w + 1).Select(Window).ToList();
        var codes = pca.Encode(VectorData.ToDataView(ml, windows, "Window", w));
        var likelihood = new AnomalyLikelihood(options.Likelihood);
        var range = new SeenRange(1, options.SpatialTolerance);
        for (int i = 0; i < w - 1; i++) range.Observe(points[i]);
        var scores = new double[points.Length];
        for (int k = 0; k < windows.Count; k++)
        {
            var reconstruction = pca.Reconstruct(codes[k]);
            double error = 0;
            for (int j = w - (options.ScoredSteps ?? w); j < w; j++) error += (windows[k][j] - reconstruction[j]) * (windows[k][j] - reconstruction[j]);
            double score = likelihood.AddScore(error);
            if (range.Observe(points[k + w - 1]) >= 0) score = 1;
            if (k + w - 1 >= probation) scores[k + w - 1] = score;
        }
        return scores;
    }
}
