namespace Microsoft.ML.Autoencoders.Tests.Search;

/// <summary>Multi-index hashing must return exactly what scanning every row returns, ties included.</summary>
public class MultiIndexHashingTests
{
    /// <summary>Codes of <paramref name="bits"/> values in {−1, 1} around <paramref name="centres"/> random centres, each bit flipped with probability <paramref name="noise"/>.</summary>
    private static float[][] Codes(int rows, int bits, int centres, double noise, int seed)
    {
        var random = new Random(seed);
        var c = Enumerable.Range(0, centres).Select(_ => Enumerable.Range(0, bits).Select(_ => random.Next(2) * 2f - 1).ToArray()).ToArray();
        return Enumerable.Range(0, rows).Select(_ =>
        {
            var centre = c[random.Next(centres)];
            return centre.Select(v => random.NextDouble() < noise ? -v : v).ToArray();
        }).ToArray();
    }

    [Theory]
    [InlineData(6000, 64, 6000, 0.5)]     // uniform random codes
    [InlineData(5000, 37, 40, 0.05)]      // a length that is no multiple of the substring size, clustered
    [InlineData(8000, 128, 20, 0.03)]     // long clustered codes
    [InlineData(6000, 30, 50, 0.0)]       // 50 distinct codes of 120 rows each: ties broken by row
    [InlineData(6000, 30, 1500, 0.02)]    // some repeated codes among many
    public void Results_equal_the_scan_for_near_and_far_queries(int rows, int bits, int centres, double noise)
    {
        var codes = Codes(rows, bits, centres, noise, seed: bits);
        var index = BinaryCodeIndex.Create(codes, Enumerable.Repeat(0f, bits).ToArray());
        Assert.True(index.UsesMultiIndex);
        var random = new Random(7);
        var queries = codes.Take(40)                                                          // indexed rows (distance 0 exists)
            .Concat(Codes(40, bits, centres, noise, seed: bits + 1))                          // new rows from the same clusters
            .Concat(Enumerable.Range(0, 20).Select(_ => Enumerable.Range(0, bits).Select(_ => random.Next(2) * 2f - 1).ToArray()))  // anywhere
            .ToArray();
        foreach (int k in new[] { 1, 10, 100 })
            foreach (var q in queries)
                Assert.Equal(index.SearchByScan(q, k), index.Search(q, k));
        // The tables answered the near queries of clustered codes themselves (uniform codes have no near neighbours: they may all scan).
        if (centres < rows) Assert.True(index.MultiIndexAnswers >= 40, $"only {index.MultiIndexAnswers} of {3 * queries.Length} queries were answered from the tables");
        if (noise == 0) Assert.Equal(centres, index.DistinctCodes);
    }

    [Fact]
    public void Small_indexes_scan()
    {
        var index = BinaryCodeIndex.Create(Codes(500, 32, 500, 0.5, 1));
        Assert.False(index.UsesMultiIndex);
    }
}
