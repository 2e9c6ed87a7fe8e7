namespace Microsoft.ML.Autoencoders.Tests.Search;

/// <summary>The three indexes behind one interface: the same queries, Save, and their own Load.</summary>
public sealed class CodeIndexInterfaceTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("ae-index-interface-");

    public void Dispose() => _dir.Delete(recursive: true);

    private static float[][] Codes(int rows, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, rows).Select(_ => Enumerable.Range(0, 12).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray()).ToArray();
    }

    /// <summary>Any index: searched three ways with the same answers, saved, loaded by its own type with the same answers.</summary>
    private void SearchesAndRoundTrips<TIndex>(TIndex index, float[][] queries) where TIndex : ICodeIndex<TIndex>
    {
        ICodeIndex any = index;
        Assert.Equal(12, any.Dimension);
        var batch = any.Search(queries, 5);
        var view = any.Search(new MLContext().Data.LoadFromEnumerable(queries.Select(q => new Row { Code = q })), nameof(Row.Code), 5);
        for (int q = 0; q < queries.Length; q++)
        {
            Assert.Equal(batch[q], any.Search(queries[q].AsSpan(), 5));
            Assert.Equal(batch[q], view[q]);
        }
        var path = Path.Combine(_dir.FullName, typeof(TIndex).Name);
        any.Save(path);
        var loaded = TIndex.Load(path);
        try
        {
            Assert.Equal(any.Count, loaded.Count);
            Assert.Equal(batch.Select(h => h.Select(x => x.Row)), loaded.Search(queries, 5).Select(h => h.Select(x => x.Row)));
        }
        finally
        {
            (loaded as IDisposable)?.Dispose();
        }
        // A damaged file is named.
        var bytes = File.ReadAllBytes(path);
        bytes[bytes.Length / 2] ^= 0x20;
        File.WriteAllBytes(path, bytes);
        Assert.Contains(path, Assert.Throws<InvalidDataException>(() => TIndex.Load(path)).Message);
    }

    public sealed class Row
    {
        [Microsoft.ML.Data.VectorType(12)] public float[] Code { get; set; } = [];
    }

    [Fact]
    public void Exact_binary_and_approximate_indexes_answer_the_same_calls_and_round_trip()
    {
        var codes = Codes(300, 1);
        var queries = Codes(10, 2);
        SearchesAndRoundTrips(CodeIndex.Create(codes), queries);
        SearchesAndRoundTrips(BinaryCodeIndex.Create(codes), queries);
        using var approximate = ApproximateCodeIndex.Create(codes, CodeDistance.Euclidean);
        SearchesAndRoundTrips(approximate, queries);
        // The loaded approximate index keeps its distance: Euclidean distances, as the exact index gives them.
        approximate.Save(Path.Combine(_dir.FullName, "again"));
        using var loaded = ApproximateCodeIndex.Load(Path.Combine(_dir.FullName, "again"));
        Assert.Equal(CodeDistance.Euclidean, loaded.Distance);
        var exact = CodeIndex.Create(codes, CodeDistance.Euclidean).Search(queries[0], 1)[0];
        var found = loaded.Search(queries[0], 1)[0];
        Assert.Equal(exact.Row, found.Row);
        Assert.Equal(exact.Distance, found.Distance, 1e-4f);
    }
}
