namespace Microsoft.ML.Autoencoders.Datasets.Nab;

/// <summary>A detector's corpus result for one profile: the swept threshold, the raw scores and the normalised score.</summary>
/// <param name="Threshold">The anomaly-score threshold that maximises the corpus score (a row is a detection when its score ≥ it).</param>
/// <param name="Raw">The corpus score at that threshold.</param>
/// <param name="Null">The score of the null detector (no detections): −A_FN per window.</param>
/// <param name="Perfect">The score of a perfect detector (each window found at its first row): A_TP per window.</param>
public sealed record NabResult(double Threshold, double Raw, double Null, double Perfect)
{
    /// <summary>100 · (raw − null) / (perfect − null): null scores 0, perfect 100.</summary>
    public double Normalized => Perfect == Null ? 0 : 100 * (Raw - Null) / (Perfect - Null);
}

/// <summary>
/// The Numenta Anomaly Benchmark's scoring rules, as NAB's sweeper applies them: the first 15 % of each series (at most
/// 750 rows) is probationary and not scored; a window's score is its best-weighted detection (a scaled sigmoid of the
/// detection's position in the window, the first row worth A_TP) or −A_FN when nothing in it is detected; each
/// detection outside the windows costs A_FP × a scaled sigmoid of its distance past the preceding window (−A_FP when no
/// window precedes it); one threshold on the anomaly score is swept over the whole corpus; the total is normalised so
/// that the null detector scores 0 and a perfect one 100.
/// </summary>
public static class NabScorer
{
    /// <summary>Share of each series that is probationary.</summary>
    public const double ProbationPercent = 0.15;

    /// <summary>Rows of a series of <paramref name="rows"/> rows that are probationary: min(⌊0.15·n⌋, 0.15·5000).</summary>
    public static int ProbationaryLength(int rows) => (int)Math.Min(Math.Floor(ProbationPercent * rows), ProbationPercent * 5000);

    /// <summary>NAB's scaled sigmoid: 2 / (1 + e^(5x)) − 1, and −1 beyond x = 3.</summary>
    public static double ScaledSigmoid(double x) => x > 3 ? -1 : 2 / (1 + Math.Exp(5 * x)) - 1;

    /// <summary>What a detection at a row would be worth: its weighted score, its window (−1 outside), and whether it is scored at all.</summary>
    public readonly record struct RowWeight(double Weighted, int Window, bool Scored);

    /// <summary>Each row's worth as a detection under <paramref name="profile"/> (NAB's "sweep score").</summary>
    public static RowWeight[] RowWeights(NabSeries series, NabProfile profile)
    {
        int rows = series.Timestamps.Length, probation = ProbationaryLength(rows);
        double maxTruePositive = ScaledSigmoid(-1);
        var weights = new RowWeight[rows];
        int next = 0, current = -1, previous = -1;
        for (int i = 0; i < rows; i++)
        {
            if (current < 0 && next < series.Windows.Length && i >= series.Windows[next].First) current = next++;
            double weighted;
            if (current >= 0)
            {
                var (first, last) = series.Windows[current];
                double width = last - first + 1;
                weighted = ScaledSigmoid(-(last - i + 1) / width) * profile.TruePositiveWeight / maxTruePositive;
            }
            else if (previous < 0) weighted = -profile.FalsePositiveWeight;
            else
            {
                var (first, last) = series.Windows[previous];
                double width = last - first + 1;
                weighted = ScaledSigmoid(Math.Abs(last - i) / (width - 1)) * profile.FalsePositiveWeight;
            }
            weights[i] = new RowWeight(weighted, current, i >= probation);
            if (current >= 0 && i == series.Windows[current].Last) (previous, current) = (current, -1);
        }
        return weights;
    }

    /// <summary>
    /// Each row's part of the series score at <paramref name="threshold"/>, laid out as NAB's <c>S(t)_&lt;profile&gt;</c>
    /// columns: a false positive's cost at its row, a window's score (its best detection, or −A_FN) at the window's first
    /// row, 0 elsewhere.
    /// </summary>
    public static double[] RowScores(NabSeries series, double[] anomalyScores, NabProfile profile, double threshold) =>
        RowScores(series, anomalyScores, profile, threshold, RowWeights(series, profile));

    private static double[] RowScores(NabSeries series, double[] anomalyScores, NabProfile profile, double threshold, RowWeight[] weights)
    {
        CheckLength(series, anomalyScores);
        var result = new double[weights.Length];
        var windowScore = new double?[series.Windows.Length];
        for (int i = 0; i < weights.Length; i++)
        {
            var w = weights[i];
            if (!w.Scored) continue;
            if (w.Window >= 0) windowScore[w.Window] ??= -profile.FalseNegativeWeight;
            if (anomalyScores[i] < threshold) continue;
            if (w.Window < 0) result[i] = w.Weighted;
            else windowScore[w.Window] = Math.Max(windowScore[w.Window]!.Value, w.Weighted);
        }
        for (int k = 0; k < windowScore.Length; k++)
            if (windowScore[k] is double s) result[series.Windows[k].First] = s;
        return result;
    }

    /// <summary>
    /// Sweeps one threshold over the whole corpus (every distinct anomaly score) and returns the best, with the null and
    /// perfect scores the normalisation uses. Ties keep the highest threshold.
    /// </summary>
    public static NabResult Sweep(IReadOnlyList<(NabSeries Series, double[] Scores)> corpus, NabProfile profile)
    {
        var points = new List<(double Score, double Weighted, int Window)>();
        int windows = 0;
        foreach (var (series, scores) in corpus)
        {
            CheckLength(series, scores);
            var weights = RowWeights(series, profile);
            var scoredWindows = new Dictionary<int, int>();
            for (int i = 0; i < weights.Length; i++)
            {
                var w = weights[i];
                if (!w.Scored) continue;
                int window = -1;
                if (w.Window >= 0 && !scoredWindows.TryGetValue(w.Window, out window)) scoredWindows[w.Window] = window = windows++;
                points.Add((scores[i], w.Weighted, window));
            }
        }
        // Highest score first; equal scores keep their corpus order (a stable sort), as NAB's sweep does.
        var order = points.Select((p, i) => (p, i)).OrderByDescending(x => x.p.Score).ThenBy(x => x.i).Select(x => x.p).ToArray();
        var windowParts = Enumerable.Repeat(-profile.FalseNegativeWeight, windows).ToArray();
        double falsePositives = 0, total = windowParts.Sum();
        double nullScore = total, bestScore = total, bestThreshold = double.PositiveInfinity;
        for (int i = 0; i < order.Length; i++)
        {
            var p = order[i];
            if (p.Window < 0) falsePositives += p.Weighted;
            else windowParts[p.Window] = Math.Max(windowParts[p.Window], p.Weighted);
            // A threshold is complete when the next point's score differs: every row at or above it is a detection.
            if (i + 1 < order.Length && order[i + 1].Score == p.Score) continue;
            total = windowParts.Sum() + falsePositives;
            if (total > bestScore) (bestScore, bestThreshold) = (total, p.Score);
        }
        return new NabResult(bestThreshold, bestScore, nullScore, windows * profile.TruePositiveWeight);
    }

    /// <summary>
    /// The score of <paramref name="corpus"/> at a given <paramref name="threshold"/> (a part of the corpus at the threshold
    /// swept on the whole of it: a per-category figure), normalised as <see cref="Sweep"/> does.
    /// </summary>
    public static NabResult ScoreAt(IReadOnlyList<(NabSeries Series, double[] Scores)> corpus, NabProfile profile, double threshold)
    {
        double raw = 0;
        int windows = 0;
        foreach (var (series, scores) in corpus)
        {
            var weights = RowWeights(series, profile);
            raw += RowScores(series, scores, profile, threshold, weights).Sum();
            windows += weights.Where(w => w.Scored && w.Window >= 0).Select(w => w.Window).Distinct().Count();
        }
        return new NabResult(threshold, raw, -windows * profile.FalseNegativeWeight, windows * profile.TruePositiveWeight);
    }

    private static void CheckLength(NabSeries series, double[] scores)
    {
        if (scores.Length != series.Timestamps.Length)
            throw new ArgumentException($"Series '{series.Name}' has {series.Timestamps.Length} rows but {scores.Length} anomaly scores were given.", nameof(scores));
    }
}
