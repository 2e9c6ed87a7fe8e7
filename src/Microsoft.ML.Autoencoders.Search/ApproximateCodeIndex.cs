using Cloud.Unum.USearch;
using Microsoft.ML.Autoencoders.Lifetime;
using Microsoft.ML.Autoencoders.Training.Data;

namespace Microsoft.ML.Autoencoders;

/// <summary>
/// Approximate nearest-neighbour search over codes for collections where the exact <see cref="CodeIndex"/> is too slow:
/// a hierarchical navigable small-world graph (HNSW, Malkov &amp; Yashunin 2018) built and searched by USearch
/// (Cloud.Unum.USearch, Apache-2.0). It answers without comparing the query with every row, so a few true neighbours
/// can be missed: measure recall@10 against <see cref="CodeIndex"/> on your codes (the benchmarks report it on MNIST codes).
/// Distances are those of <see cref="CodeIndex"/> (1 − cosine, or Euclidean). Searches run one after another on a
/// single index; dispose it to free its native memory (also while other threads search: Dispose waits for the search in
/// flight, and later searches throw <see cref="ObjectDisposedException"/>).
/// </summary>
public sealed class ApproximateCodeIndex : IDisposable
{
    private readonly USearchIndex _index;
    private readonly object _lock = new();
    private readonly DisposalGuard _guard = new(nameof(ApproximateCodeIndex));

    private ApproximateCodeIndex(USearchIndex index, int count, int dimension, CodeDistance distance)
    {
        _index = index;
        Count = count;
        Dimension = dimension;
        Distance = distance;
    }

    /// <summary>Number of indexed rows.</summary>
    public int Count { get; }

    /// <summary>Length of each code.</summary>
    public int Dimension { get; }

    /// <summary>The distance the index ranks by.</summary>
    public CodeDistance Distance { get; }

    /// <summary>Indexes <paramref name="codes"/> (all of one length, finite values).</summary>
    /// <param name="codes">The rows; a hit's <see cref="SearchHit.Row"/> is the position here.</param>
    /// <param name="distance">How codes are compared.</param>
    /// <param name="connectivity">Graph edges per node (USearch's default when 0): more edges, better recall, more memory.</param>
    /// <param name="searchBreadth">Candidates kept while searching (USearch's expansion; its default when 0): higher, better recall, slower.</param>
    /// <param name="buildBreadth">Candidates kept while inserting (USearch's default, 128, when 0): lower builds faster (one thread inserts
    /// about 4,000 random 30-d codes per second at the default, 23,000 at 16, measured here) and links the graph less well.</param>
    public static ApproximateCodeIndex Create(IReadOnlyList<float[]> codes, CodeDistance distance = CodeDistance.Cosine, int connectivity = 0, int searchBreadth = 0, int buildBreadth = 0)
    {
        CodeDistanceCheck.Defined(distance, nameof(distance));
        if (connectivity < 0) throw new ArgumentOutOfRangeException(nameof(connectivity), connectivity, "connectivity must be 0 (default) or positive.");
        if (searchBreadth < 0) throw new ArgumentOutOfRangeException(nameof(searchBreadth), searchBreadth, "searchBreadth must be 0 (default) or positive.");
        if (buildBreadth < 0) throw new ArgumentOutOfRangeException(nameof(buildBreadth), buildBreadth, "buildBreadth must be 0 (default) or positive.");
        int dimension = CodeIndex.CheckCodes(codes);
        var metric = distance == CodeDistance.Cosine ? MetricKind.Cos : MetricKind.L2sq;
        var index = new USearchIndex(metric, ScalarKind.Float32, (ulong)dimension, (ulong)connectivity, (ulong)buildBreadth, (ulong)searchBreadth, false);
        try
        {
            index.Add(Enumerable.Range(0, codes.Count).Select(i => (ulong)i).ToArray(), codes as float[][] ?? codes.ToArray());
            return new ApproximateCodeIndex(index, codes.Count, dimension, distance);
        }
        catch
        {
            index.Dispose();
            throw;
        }
    }

    /// <summary>Indexes the known-size vector column <paramref name="column"/> of <paramref name="data"/>.</summary>
    public static ApproximateCodeIndex Create(IDataView data, string column, CodeDistance distance = CodeDistance.Cosine) =>
        Create(VectorColumn.ReadRows(data, column), distance);

    /// <summary>About the <paramref name="k"/> nearest rows to <paramref name="query"/>, closest first.</summary>
    public SearchHit[] Search(float[] query, int k)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (k < 1) throw new ArgumentOutOfRangeException(nameof(k), k, "k must be at least 1.");
        if (query.Length != Dimension) throw new ArgumentException($"The query has {query.Length} values; the index holds codes of {Dimension}.", nameof(query));
        if (!VectorColumn.AllFinite(query)) throw new ArgumentException("The query holds NaN or infinity.", nameof(query));
        int found;
        ulong[] keys;
        float[] distances;
        using (_guard.Enter())
        lock (_lock) found = _index.Search(query, Math.Min(k, Count), out keys, out distances);
        return Enumerable.Range(0, found).Select(i => new SearchHit((int)keys[i], Distance == CodeDistance.Euclidean ? MathF.Sqrt(Math.Max(0, distances[i])) : distances[i])).ToArray();
    }

    /// <summary>Searches each query in turn.</summary>
    public SearchHit[][] Search(IReadOnlyList<float[]> queries, int k)
    {
        ArgumentNullException.ThrowIfNull(queries);
        return queries.Select(q => Search(q, k)).ToArray();
    }

    /// <summary>Frees the native index once the search in flight has ended; later searches throw <see cref="ObjectDisposedException"/>.</summary>
    public void Dispose()
    {
        if (_guard.BeginDispose()) _index.Dispose();
    }
}
