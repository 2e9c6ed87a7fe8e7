using Microsoft.ML.Autoencoders;

namespace AutoencoderSamples.Common;

/// <summary>
/// Retrieval quality when a retrieved document is relevant if it shares a label (topic) with the query:
/// precision at fixed recall levels (as in Hinton &amp; Salakhutdinov 2006) and precision@k, averaged over queries.
/// </summary>
internal static class RetrievalMetrics
{
    /// <summary>Recall levels of the precision–recall curve (log-spaced, like the 2006 paper's figure).</summary>
    public static readonly double[] RecallLevels = [0.001, 0.002, 0.004, 0.008, 0.016, 0.032, 0.064, 0.128, 0.256, 0.512, 1.0];

    /// <summary>Mean precision at each of <see cref="RecallLevels"/> and mean precision@<paramref name="k"/>, over queries that have at least one relevant document.</summary>
    public static (double[] PrecisionAtRecall, double PrecisionAtK) Evaluate(IReadOnlyList<SearchHit[]> rankings,
        IReadOnlyList<string[]> queryLabels, IReadOnlyList<string[]> databaseLabels, int k)
    {
        var sums = new double[RecallLevels.Length];
        double atK = 0;
        int counted = 0;
        var lockObject = new object();
        Parallel.For(0, rankings.Count, q =>
        {
            var labels = queryLabels[q];
            bool Relevant(int row) => databaseLabels[row].Any(labels.Contains);
            int total = 0;
            for (int i = 0; i < databaseLabels.Count; i++) if (Relevant(i)) total++;
            if (total == 0) return;
            var local = new double[RecallLevels.Length];
            int found = 0, level = 0;
            double localAtK = 0;
            for (int rank = 0; rank < rankings[q].Length && level < RecallLevels.Length; rank++)
            {
                if (!Relevant(rankings[q][rank].Row)) continue;
                found++;
                if (rank < k) localAtK++;
                while (level < RecallLevels.Length && found >= RecallLevels[level] * total - 1e-9)
                    local[level++] = found / (double)(rank + 1);
            }
            lock (lockObject)
            {
                for (int l = 0; l < local.Length; l++) sums[l] += local[l];
                atK += localAtK / k;
                counted++;
            }
        });
        return (sums.Select(s => s / counted).ToArray(), atK / counted);
    }
}
