namespace Microsoft.ML.Autoencoders.Tests.Search;

/// <summary>Hamming search at its edges: non-finite queries and thresholds, very long codes, folders given as paths.</summary>
public sealed class BinaryCodeIndexLimitsTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("ae-hamming-");

    public void Dispose() => _dir.Delete(recursive: true);

    private static float[] Code(int bits, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, bits).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray();
    }

    [Fact]
    public void Non_finite_queries_and_thresholds_are_refused()
    {
        var codes = new[] { Code(8, 1), Code(8, 2), Code(8, 3) };
        var index = BinaryCodeIndex.Create(codes);
        foreach (var bad in new[] { float.NaN, float.PositiveInfinity, float.NegativeInfinity })
        {
            var query = Code(8, 4);
            query[5] = bad;
            Assert.Contains("NaN or infinity", Assert.Throws<ArgumentException>(() => index.Search(query, 2)).Message);
            var thresholds = new float[8];
            thresholds[2] = bad;
            Assert.Equal("thresholds", Assert.Throws<ArgumentException>(() => BinaryCodeIndex.Create(codes, thresholds)).ParamName);
        }
    }

    [Theory]
    [InlineData(70_000)]     // distances above 65,535 wrapped around (ushort): an exact match ranked last
    [InlineData(3_000_000)]  // the histogram was stackalloc'ed: the process died of a stack overflow
    public void Codes_longer_than_sixteen_bits_of_distance_rank_an_exact_match_first_and_survive_save_and_load(int bits)
    {
        var near = Code(bits, 1);
        var far = near.Select(v => -v).ToArray();
        var index = BinaryCodeIndex.Create([far, near], thresholds: new float[bits]);
        var hits = index.Search(near, 2);
        Assert.Equal([1, 0], hits.Select(h => h.Row));
        Assert.Equal(0, hits[0].Distance);
        Assert.Equal(bits, hits[1].Distance);

        var path = Path.Combine(_dir.FullName, "long.bidx");
        index.Save(path);
        Assert.Equal(hits.Select(h => (h.Row, h.Distance)), BinaryCodeIndex.Load(path).Search(near, 2).Select(h => (h.Row, h.Distance)));
    }

    [Fact]
    public void A_folder_given_as_index_path_is_named_as_a_folder()
    {
        Assert.Contains("is a folder", Assert.Throws<FileNotFoundException>(() => BinaryCodeIndex.Load(_dir.FullName)).Message);
        Assert.Contains("is a folder", Assert.Throws<FileNotFoundException>(() => CodeIndex.Load(_dir.FullName)).Message);
    }
}
