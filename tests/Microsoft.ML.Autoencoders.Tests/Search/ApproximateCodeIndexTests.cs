namespace Microsoft.ML.Autoencoders.Tests.Search;

/// <summary>The HNSW index finds nearly all of the exact index's neighbours, with the same distances.</summary>
public class ApproximateCodeIndexTests
{
    /// <summary>Points around 30 random centres in 16 dimensions.</summary>
    private static float[][] Codes(int rows, int seed)
    {
        var random = new Random(seed);
        var centres = Enumerable.Range(0, 30).Select(_ => Enumerable.Range(0, 16).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray()).ToArray();
        return Enumerable.Range(0, rows).Select(_ => centres[random.Next(centres.Length)].Select(v => v + 0.3f * (float)(random.NextDouble() - 0.5)).ToArray()).ToArray();
    }

    [Theory]
    [InlineData(CodeDistance.Cosine)]
    [InlineData(CodeDistance.Euclidean)]
    public void Recall_at_10_against_the_exact_index_is_high_and_distances_agree(CodeDistance distance)
    {
        var codes = Codes(5000, seed: 1);
        var queries = Codes(200, seed: 2);
        var exact = CodeIndex.Create(codes, distance).Search(queries, 10);
        using var approximate = ApproximateCodeIndex.Create(codes, distance);
        var found = approximate.Search(queries, 10);
        double recall = found.Select((hits, q) => hits.Select(h => h.Row).Intersect(exact[q].Select(h => h.Row)).Count() / 10.0).Average();
        Assert.True(recall > 0.9, $"recall@10 {recall:F3}");
        // Where both found a row, they measured the same distance.
        foreach (var (hits, q) in found.Select((h, q) => (h, q)))
            foreach (var hit in hits)
                if (exact[q].FirstOrDefault(e => e.Row == hit.Row) is { Row: var row } match && row == hit.Row)
                    Assert.Equal(match.Distance, hit.Distance, 1e-3f);
        Assert.All(found, hits => Assert.Equal(hits.OrderBy(h => h.Distance).Select(h => h.Row), hits.Select(h => h.Row)));
    }

    [Fact]
    public void Bad_codes_and_queries_are_named()
    {
        Assert.Throws<ArgumentException>(() => ApproximateCodeIndex.Create(Array.Empty<float[]>()));
        var mixed = Assert.Throws<ArgumentException>(() => ApproximateCodeIndex.Create([new float[3], new float[4]]));
        Assert.Contains("Row 1 has 4 values", mixed.Message);
        var nan = Assert.Throws<ArgumentException>(() => ApproximateCodeIndex.Create([[1, float.NaN]]));
        Assert.Contains("NaN", nan.Message);
        using var index = ApproximateCodeIndex.Create(Codes(50, 3));
        Assert.Contains("5 values", Assert.Throws<ArgumentException>(() => index.Search(new float[5], 3)).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => index.Search(new float[16], 0));
        Assert.Equal(50, index.Search(Codes(1, 4)[0], 100).Length); // k above the row count: every row
    }
}
