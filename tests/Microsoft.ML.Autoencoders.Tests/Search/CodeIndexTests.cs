using Microsoft.ML.Autoencoders.Tests.Infrastructure;

namespace Microsoft.ML.Autoencoders.Tests.Search;

public sealed class CodeIndexTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("ae-index-");

    public void Dispose() => _dir.Delete(recursive: true);

    private static float[][] RandomCodes(int rows, int dim, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, rows).Select(_ => Enumerable.Range(0, dim).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray()).ToArray();
    }

    [Theory]
    [InlineData(CodeDistance.Cosine)]
    [InlineData(CodeDistance.Euclidean)]
    public void Finds_exactly_the_nearest_rows_a_brute_force_sort_finds(CodeDistance distance)
    {
        var rows = RandomCodes(500, 12, 1);
        var queries = RandomCodes(40, 12, 2);
        var index = CodeIndex.Create(rows, distance);
        var hits = index.Search(queries, k: 7);
        for (int q = 0; q < queries.Length; q++)
        {
            var expected = rows.Select((r, i) => (i, d: Distance(queries[q], r, distance))).OrderBy(p => p.d).Take(7).ToArray();
            Assert.Equal(expected.Select(e => e.i), hits[q].Select(h => h.Row));
            for (int i = 0; i < 7; i++) Assert.Equal(expected[i].d, hits[q][i].Distance, 1e-4);
        }
    }

    [Fact]
    public void Builds_from_a_column_and_survives_save_and_load_but_names_a_corrupt_file()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(SyntheticData.LowRank(300, seed: 4));
        var index = CodeIndex.Create(data, "Features");
        Assert.Equal(300, index.Count);
        Assert.Equal(SyntheticData.Dimension, index.Dimension);

        var path = Path.Combine(_dir.FullName, "codes.idx");
        index.Save(path);
        var loaded = CodeIndex.Load(path);
        var before = index.Search(data, "Features", 5);
        var after = loaded.Search(data, "Features", 5);
        Assert.Equal(before.SelectMany(h => h), after.SelectMany(h => h));
        Assert.All(before, (h, q) => Assert.Equal(q, h[0].Row)); // every row finds itself first

        var bytes = File.ReadAllBytes(path);
        bytes[bytes.Length / 2] ^= 0xFF;
        var corrupt = Path.Combine(_dir.FullName, "corrupt.idx");
        File.WriteAllBytes(corrupt, bytes);
        Assert.Contains(corrupt, Assert.Throws<InvalidDataException>(() => CodeIndex.Load(corrupt)).Message);
        var truncated = Path.Combine(_dir.FullName, "truncated.idx");
        File.WriteAllBytes(truncated, bytes[..20]);
        Assert.Contains(truncated, Assert.Throws<InvalidDataException>(() => CodeIndex.Load(truncated)).Message);

        Assert.Throws<ArgumentException>(() => index.Search(new float[3], 1));
        Assert.Throws<ArgumentException>(() => index.Search([.. Enumerable.Repeat(float.NaN, SyntheticData.Dimension)], 1));
    }

    [Fact]
    public void Hamming_search_ranks_by_differing_bits_and_round_trips()
    {
        var rows = RandomCodes(400, 20, 5);
        var index = BinaryCodeIndex.Create(rows);
        Assert.Equal(20, index.Bits);
        // Thresholds are the medians: every bit splits the rows about in half.
        for (int j = 0; j < 20; j++) Assert.InRange(rows.Count(r => r[j] > index.Thresholds[j]), 180, 220);

        var query = rows[17];
        var hits = index.Search(query, 10);
        Assert.Equal(17, hits[0].Row);
        Assert.Equal(0, hits[0].Distance);
        var bits = rows.Select(r => r.Select((v, j) => v > index.Thresholds[j]).ToArray()).ToArray();
        foreach (var h in hits) Assert.Equal(bits[h.Row].Zip(bits[17], (a, b) => a != b).Count(x => x), (int)h.Distance);
        Assert.True(hits.Select(h => h.Distance).SequenceEqual(hits.Select(h => h.Distance).Order()));
        var otherBest = Enumerable.Range(0, 400).Where(i => !hits.Any(h => h.Row == i))
            .Min(i => bits[i].Zip(bits[17], (a, b) => a != b).Count(x => x));
        Assert.True(otherBest >= hits[^1].Distance);

        var path = Path.Combine(_dir.FullName, "bits.idx");
        index.Save(path);
        Assert.Equal(hits, BinaryCodeIndex.Load(path).Search(query, 10));
        Assert.Throws<InvalidDataException>(() => CodeIndex.Load(path)); // a binary index is not a float index
    }

    private static float Distance(float[] a, float[] b, CodeDistance distance)
    {
        if (distance == CodeDistance.Euclidean) return MathF.Sqrt(a.Zip(b, (x, y) => (x - y) * (x - y)).Sum());
        float dot = a.Zip(b, (x, y) => x * y).Sum(), na = MathF.Sqrt(a.Sum(x => x * x)), nb = MathF.Sqrt(b.Sum(x => x * x));
        return 1 - dot / (na * nb);
    }
}
