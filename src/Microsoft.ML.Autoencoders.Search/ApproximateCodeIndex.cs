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
public sealed class ApproximateCodeIndex : ICodeIndex<ApproximateCodeIndex>, IDisposable
{
    private const int FormatVersion = 1;
    private static readonly byte[] Magic = "AEHNSWIX"u8.ToArray();

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
    public SearchHit[] Search(ReadOnlySpan<float> query, int k)
    {
        if (k < 1) throw new ArgumentOutOfRangeException(nameof(k), k, "k must be at least 1.");
        if (query.Length != Dimension) throw new ArgumentException($"The query has {query.Length} values; the index holds codes of {Dimension}.", nameof(query));
        if (!VectorColumn.AllFinite(query)) throw new ArgumentException("The query holds NaN or infinity.", nameof(query));
        int found;
        ulong[] keys;
        float[] distances;
        using (_guard.Enter())
        lock (_lock) found = _index.Search(query.ToArray(), Math.Min(k, Count), out keys, out distances);
        return Enumerable.Range(0, found).Select(i => new SearchHit((int)keys[i], Distance == CodeDistance.Euclidean ? MathF.Sqrt(Math.Max(0, distances[i])) : distances[i])).ToArray();
    }

    /// <summary>Searches each query in turn.</summary>
    public SearchHit[][] Search(IReadOnlyList<float[]> queries, int k)
    {
        ArgumentNullException.ThrowIfNull(queries);
        return queries.Select(q => Search(q, k)).ToArray();
    }

    /// <summary>Searches with every row of the known-size vector column <paramref name="column"/> of <paramref name="queries"/>.</summary>
    public SearchHit[][] Search(IDataView queries, string column, int k) => Search(CodeQueries.Of(queries, column), k);

    /// <summary>
    /// Writes the index (its graph as USearch serialises it, with this wrapper's distance and sizes) to <paramref name="path"/>,
    /// through a temporary file, with a SHA-256 of the whole.
    /// </summary>
    public void Save(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var _ = _guard.Enter();
        var folder = Export.PrivateTempFolder.CreateFolder();
        try
        {
            var native = Path.Combine(folder, "index.usearch");
            lock (_lock) _index.Save(native);
            var graph = File.ReadAllBytes(native);
            IndexFile.Write(path, Magic, w =>
            {
                w.Write(FormatVersion);
                w.Write((int)Distance);
                w.Write(Count);
                w.Write(Dimension);
                w.Write(graph.Length);
                w.Write(graph);
            });
        }
        finally
        {
            Export.PrivateTempFolder.Delete(folder);
        }
    }

    /// <summary>Reads an index <see cref="Save"/> wrote; a truncated, corrupt or foreign file throws <see cref="InvalidDataException"/> naming it.</summary>
    public static ApproximateCodeIndex Load(string path) => IndexFile.Read(path, Magic, r =>
    {
        int version = r.ReadInt32(), distance = r.ReadInt32(), count = r.ReadInt32(), dimension = r.ReadInt32(), length = r.ReadInt32();
        if (version != FormatVersion) throw new InvalidDataException($"format version {version} is not supported (this library reads {FormatVersion})");
        if (!Enum.IsDefined((CodeDistance)distance) || count < 1 || dimension < 1 || length < 1 || r.BaseStream.Length - r.BaseStream.Position != length)
            throw new InvalidDataException("its header does not describe its contents");
        var graph = r.ReadBytes(length);
        var folder = Export.PrivateTempFolder.CreateFolder();
        USearchIndex? index = null;
        try
        {
            var native = Path.Combine(folder, "index.usearch");
            File.WriteAllBytes(native, graph);
            index = new USearchIndex(native);
            if ((long)index.Size() != count || (long)index.Dimensions() != dimension)
                throw new InvalidDataException($"its graph holds {index.Size()} codes of {index.Dimensions()} values, not the {count} of {dimension} its header says");
            return new ApproximateCodeIndex(index, count, dimension, (CodeDistance)distance);
        }
        catch (Exception e) when (e is not InvalidDataException)
        {
            index?.Dispose();
            throw new InvalidDataException($"its graph cannot be read ({e.Message})", e);
        }
        catch
        {
            index?.Dispose();
            throw;
        }
        finally
        {
            Export.PrivateTempFolder.Delete(folder);
        }
    });

    /// <summary>Frees the native index once the search in flight has ended; later searches throw <see cref="ObjectDisposedException"/>.</summary>
    public void Dispose()
    {
        if (_guard.BeginDispose()) _index.Dispose();
    }
}
