using Microsoft.ML.Data;

namespace Microsoft.ML.Autoencoders.Tests.Infrastructure;

public sealed class VectorRow
{
    [VectorType(16)]
    public float[] Features { get; set; } = [];
}

/// <summary>Small data with known structure: 16-d points on a 3-d linear subspace plus a little noise.</summary>
public static class SyntheticData
{
    public const int Dimension = 16;

    public static VectorRow[] LowRank(int rows, int seed, bool unitInterval = false)
    {
        var rng = new Random(seed);
        var basis = new float[3, Dimension];
        var basisRng = new Random(12345);
        for (int k = 0; k < 3; k++) for (int j = 0; j < Dimension; j++) basis[k, j] = (float)(basisRng.NextDouble() * 2 - 1);
        var result = new VectorRow[rows];
        for (int i = 0; i < rows; i++)
        {
            var z = new[] { Gaussian(rng), Gaussian(rng), Gaussian(rng) };
            var x = new float[Dimension];
            for (int j = 0; j < Dimension; j++)
            {
                double v = 0.05 * Gaussian(rng);
                for (int k = 0; k < 3; k++) v += z[k] * basis[k, j];
                x[j] = unitInterval ? (float)(1 / (1 + Math.Exp(-v))) : (float)v;
            }
            result[i] = new VectorRow { Features = x };
        }
        return result;
    }

    /// <summary>
    /// Word counts of short "documents" over <see cref="Dimension"/> words: each row draws 20–60 words from one of
    /// three topics' word distributions (the topic is returned beside the row).
    /// </summary>
    public static (VectorRow Row, int Topic)[] TopicCounts(int rows, int seed)
    {
        var rng = new Random(seed);
        var topicRng = new Random(54321);
        var topics = Enumerable.Range(0, 3).Select(_ =>
        {
            var w = Enumerable.Range(0, Dimension).Select(_ => Math.Pow(topicRng.NextDouble(), 4)).ToArray();
            return w.Select(v => v / w.Sum()).ToArray();
        }).ToArray();
        return Enumerable.Range(0, rows).Select(_ =>
        {
            int topic = rng.Next(3), length = rng.Next(20, 61);
            var counts = new float[Dimension];
            for (int n = 0; n < length; n++)
            {
                double u = rng.NextDouble();
                int word = 0;
                while (word < Dimension - 1 && (u -= topics[topic][word]) > 0) word++;
                counts[word]++;
            }
            return (new VectorRow { Features = counts }, topic);
        }).ToArray();
    }

    /// <summary>A row divided by its sum.</summary>
    public static float[] Distribution(float[] row) => row.Select(v => v / row.Sum()).ToArray();

    /// <summary>Mean squared distance to the column means, summed over the row: the error of the "predict the mean" baseline.</summary>
    public static double MeanPredictorSse(IReadOnlyList<float[]> rows)
    {
        int d = rows[0].Length;
        var mean = new double[d];
        foreach (var r in rows) for (int j = 0; j < d; j++) mean[j] += r[j] / rows.Count;
        return rows.Average(r => Enumerable.Range(0, d).Sum(j => (r[j] - mean[j]) * (r[j] - mean[j])));
    }

    private static double Gaussian(Random rng) =>
        Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
}
