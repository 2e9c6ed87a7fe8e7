using System.Diagnostics;
using Microsoft.ML;
using Microsoft.ML.Autoencoders;
using Microsoft.ML.Autoencoders.Experiments;

namespace AutoencoderSamples.Common;

/// <summary>One experiment's trials with the seconds since its start at which each finished.</summary>
internal sealed record Sweep(string Tuner, int Seed, ExperimentResult Result, double[] FinishedAt)
{
    /// <summary>The best metric so far after each trial (higher is better).</summary>
    public double[] BestSoFar()
    {
        double best = double.NegativeInfinity;
        return Result.Trials.Select(t => best = Math.Max(best, t.Metric ?? double.NegativeInfinity)).ToArray();
    }

    public double Best => BestSoFar().DefaultIfEmpty(double.NaN).Last();

    /// <summary>Seconds until the best so far first reached <paramref name="target"/>, or null.</summary>
    public double? SecondsTo(double target)
    {
        var best = BestSoFar();
        for (int i = 0; i < best.Length; i++) if (best[i] >= target - 1e-12) return FinishedAt[i];
        return null;
    }
}

/// <summary>Running the same search with several tuners and comparing them: what the <c>sweep</c> scenarios share.</summary>
internal static class SweepRuns
{
    /// <summary>random search; successive halving with ASHA's in-training stopping; local search (FLOW²-style).</summary>
    public static readonly string[] Tuners = ["random", "halving", "local"];

    public static string[] CheckTuners(string[]? tuners)
    {
        tuners ??= Tuners;
        var unknown = tuners.Except(Tuners).ToArray();
        if (unknown.Length > 0) throw new ArgumentException($"Unknown tuner(s) {string.Join(", ", unknown)}; choose among {string.Join(", ", Tuners)}.");
        return tuners;
    }

    /// <summary>One experiment: <paramref name="tuner"/> over <paramref name="space"/> for <paramref name="budget"/> seconds, maximising what <paramref name="objective"/> sets.</summary>
    public static Sweep Run(MLContext ml, string tuner, int seed, ParameterSpace space, Func<TrialContext, IEstimator<ITransformer>> pipeline,
        IDataView train, IDataView validation, int budget, Func<AutoencoderExperiment, AutoencoderExperiment> objective)
    {
        var experiment = objective(ml.CreateAutoencoderExperiment()
            .SetPipeline(space, pipeline)
            .SetDataset(train, validation)
            .SetTrainingTimeInSeconds(budget)
            .SetSeed(seed));
        experiment = tuner switch
        {
            "random" => experiment.SetTuner(new RandomSearchTuner(space, seed)),
            "halving" => experiment.SetTuner(new SuccessiveHalvingTuner(space, seed)).SetTrialStopping(eta: 3),
            "local" => experiment.SetTuner(new LocalSearchTuner(space, seed)),
            _ => throw new ArgumentException($"Unknown tuner '{tuner}'."),
        };
        var finished = new List<double>();
        var clock = Stopwatch.StartNew();
        var result = experiment.Run(progress: new Callback<TrialResult>(_ => finished.Add(clock.Elapsed.TotalSeconds)));
        return new Sweep(tuner, seed, result, [.. finished]);
    }

    /// <summary>
    /// The tuner comparison: per seed, each tuner's best, seconds to its own best and seconds to random search's final
    /// best (the issue's measure); sets <c>random_seconds_to_best</c> and <c>&lt;tuner&gt;_seconds_to_random_best</c>
    /// (means over the seeds, null when a seed never got there) in <paramref name="report"/> and returns the table rows.
    /// </summary>
    public static List<string[]> Compare(IReadOnlyList<Sweep> sweeps, IReadOnlyList<string> tuners, RunReport report)
    {
        var rows = new List<string[]>();
        var randomRuns = sweeps.Where(s => s.Tuner == "random").ToDictionary(s => s.Seed);
        if (randomRuns.Count == 0) return rows;
        var toBest = randomRuns.Values.Select(r => r.SecondsTo(r.Best)).ToArray();
        report.Set("random_seconds_to_best", MeanOrNull(toBest));
        rows.Add(["random", string.Join(" / ", randomRuns.Values.Select(r => r.Best.ToString("F4"))), string.Join(" / ", toBest.Select(Seconds)), "—"]);
        foreach (var tuner in tuners.Where(t => t != "random"))
        {
            var runs = sweeps.Where(s => s.Tuner == tuner).ToArray();
            var toRandom = runs.Select(r => randomRuns.TryGetValue(r.Seed, out var random) ? r.SecondsTo(random.Best) : null).ToArray();
            report.Set($"{tuner}_seconds_to_random_best", MeanOrNull(toRandom));
            rows.Add([tuner, string.Join(" / ", runs.Select(r => r.Best.ToString("F4"))), string.Join(" / ", runs.Select(r => Seconds(r.SecondsTo(r.Best)))),
                string.Join(" / ", toRandom.Select(Seconds))]);
        }
        return rows;
    }

    public static readonly string[] CompareHeader = ["tuner", "best", "seconds to its best", "seconds to random's best"];

    /// <summary>Every trial of <paramref name="sweeps"/> as a table row (tuner, id, budget, metric or error, seconds, settings).</summary>
    public static IEnumerable<string[]> TrialRows(IEnumerable<Sweep> sweeps) => sweeps.SelectMany(s => s.Result.Trials.Select(t => new[]
    {
        s.Tuner, t.TrialId.ToString(), t.Budget.ToString("P0") + (t.StoppedEarly ? " (stopped)" : ""),
        t.Metric?.ToString("F4") ?? $"failed: {t.Error}", t.Duration.TotalSeconds.ToString("F1"), t.Parameters.ToString(),
    }));

    public static string Seconds(double? seconds) => seconds is double s ? s.ToString("F0") : "—";

    private static double? MeanOrNull(IReadOnlyCollection<double?> values) =>
        values.Count > 0 && values.All(v => v is not null) ? Math.Round(values.Average(v => v!.Value), 1) : null;
}
