using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using Microsoft.ML.Autoencoders.Training.Data;
using Microsoft.ML.Data;

namespace Microsoft.ML.Autoencoders;

/// <summary>
/// Exact nearest-neighbour search over a column of codes (or any known-size float vectors): every query is
/// compared with every row (vector maths through <see cref="TensorPrimitives"/>), queries in a batch run in
/// parallel. Build it from an IDataView column (typically the code column of a fitted autoencoder pipeline),
/// query it with vectors or with rows run through the same pipeline, and save / load it.
/// </summary>
public sealed class CodeIndex : ICodeIndex<CodeIndex>
{
    private const int FormatVersion = 1;
    private static readonly byte[] Magic = "AECODEIX"u8.ToArray();

    // Row-major [Count, Dimension]; for cosine the rows are stored unit-length (zero rows stay zero).
    private readonly float[] _rows;

    private CodeIndex(float[] rows, int count, int dimension, CodeDistance distance)
    {
        _rows = rows;
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

    /// <summary>The length of <paramref name="codes"/>, after checking there are some, all of one non-zero length, all finite (errors name the row).</summary>
    internal static int CheckCodes(IReadOnlyList<float[]> codes)
    {
        ArgumentNullException.ThrowIfNull(codes);
        if (codes.Count == 0) throw new ArgumentException("Cannot build a code index from no rows.", nameof(codes));
        int dimension = codes[0].Length;
        if (dimension == 0) throw new ArgumentException("Codes must have at least one value.", nameof(codes));
        for (int i = 0; i < codes.Count; i++)
        {
            if (codes[i].Length != dimension)
                throw new ArgumentException($"Row {i} has {codes[i].Length} values; row 0 has {dimension}. All codes must have one length.", nameof(codes));
            if (!VectorColumn.AllFinite(codes[i]))
                throw new ArgumentException($"Row {i} holds NaN or infinity; codes must be finite.", nameof(codes));
        }
        return dimension;
    }

    /// <summary>Indexes <paramref name="codes"/> (all of one length, finite values).</summary>
    public static CodeIndex Create(IReadOnlyList<float[]> codes, CodeDistance distance = CodeDistance.Cosine)
    {
        CodeDistanceCheck.Defined(distance, nameof(distance));
        int dimension = CheckCodes(codes);
        var rows = new float[(long)codes.Count * dimension];
        for (int i = 0; i < codes.Count; i++) codes[i].CopyTo(rows.AsSpan(i * dimension, dimension));
        if (distance == CodeDistance.Cosine)
            for (int i = 0; i < codes.Count; i++) Normalize(rows.AsSpan(i * dimension, dimension));
        return new CodeIndex(rows, codes.Count, dimension, distance);
    }

    /// <summary>Indexes the known-size vector column <paramref name="column"/> of <paramref name="data"/>, row by row in cursor order.</summary>
    public static CodeIndex Create(IDataView data, string column, CodeDistance distance = CodeDistance.Cosine)
    {
        ArgumentNullException.ThrowIfNull(data);
        return Create(VectorColumn.ReadRows(data, column), distance);
    }

    /// <summary>The <paramref name="k"/> rows closest to <paramref name="query"/>, closest first.</summary>
    public SearchHit[] Search(ReadOnlySpan<float> query, int k)
    {
        CheckQuery(query, k, "query");
        Span<float> q = query.Length <= 4096 ? stackalloc float[query.Length] : new float[query.Length];
        query.CopyTo(q);
        if (Distance == CodeDistance.Cosine) Normalize(q);
        return TopK(q, Math.Min(k, Count));
    }

    /// <summary>The distance of every row to <paramref name="query"/>, in row order.</summary>
    internal float[] Distances(ReadOnlySpan<float> query)
    {
        CheckQuery(query, 1, "query");
        Span<float> q = query.Length <= 4096 ? stackalloc float[query.Length] : new float[query.Length];
        query.CopyTo(q);
        if (Distance == CodeDistance.Cosine) Normalize(q);
        var distances = new float[Count];
        var rows = _rows.AsSpan();
        for (int r = 0; r < Count; r++)
        {
            var row = rows.Slice(r * Dimension, Dimension);
            distances[r] = Distance == CodeDistance.Cosine ? 1 - TensorPrimitives.Dot<float>(q, row) : TensorPrimitives.Distance<float>(q, row);
        }
        return distances;
    }

    /// <summary>Searches a batch of queries in parallel; result <c>i</c> answers query <c>i</c>.</summary>
    public SearchHit[][] Search(IReadOnlyList<float[]> queries, int k)
    {
        ArgumentNullException.ThrowIfNull(queries);
        for (int i = 0; i < queries.Count; i++) CheckQuery(queries[i], k, $"query {i}");
        var results = new SearchHit[queries.Count][];
        Parallel.For(0, queries.Count, i => results[i] = Search(queries[i], k));
        return results;
    }

    /// <summary>
    /// Searches with every row of <paramref name="queries"/>' column <paramref name="column"/>, e.g. new rows run
    /// through the same fitted pipeline that produced the indexed codes.
    /// </summary>
    public SearchHit[][] Search(IDataView queries, string column, int k) => Search(CodeQueries.Of(queries, column), k);

    /// <summary>Writes the index to <paramref name="path"/> (through a temporary file: an existing file is only ever replaced by a complete one).</summary>
    public void Save(string path) => IndexFile.Write(path, Magic, Write);

    /// <summary>Reads an index written by <see cref="Save(string)"/>; a truncated, corrupt or foreign file throws <see cref="InvalidDataException"/> naming it.</summary>
    public static CodeIndex Load(string path) => IndexFile.Read(path, Magic, Read);

    private void Write(BinaryWriter w)
    {
        w.Write(FormatVersion);
        w.Write((int)Distance);
        w.Write(Count);
        w.Write(Dimension);
        w.Write(MemoryMarshal.AsBytes(_rows.AsSpan()));
    }

    private static CodeIndex Read(BinaryReader r)
    {
        int version = r.ReadInt32(), distance = r.ReadInt32(), count = r.ReadInt32(), dimension = r.ReadInt32();
        if (version != FormatVersion) throw new InvalidDataException($"format version {version} is not supported (this library reads {FormatVersion})");
        if (!Enum.IsDefined((CodeDistance)distance) || count < 1 || dimension < 1 || r.BaseStream.Length - r.BaseStream.Position != (long)count * dimension * sizeof(float))
            throw new InvalidDataException("its header does not describe its contents");
        var rows = new float[(long)count * dimension];
        r.BaseStream.ReadExactly(MemoryMarshal.AsBytes(rows.AsSpan()));
        if (!VectorColumn.AllFinite(rows)) throw new InvalidDataException("its codes hold NaN or infinity");
        return new CodeIndex(rows, count, dimension, (CodeDistance)distance);
    }

    private SearchHit[] TopK(ReadOnlySpan<float> query, int k)
    {
        // Max-heap on distance holding the k best so far.
        var heap = new PriorityQueue<int, float>(k + 1, Comparer<float>.Create((a, b) => b.CompareTo(a)));
        var rows = _rows.AsSpan();
        for (int r = 0; r < Count; r++)
        {
            var row = rows.Slice(r * Dimension, Dimension);
            float d = Distance == CodeDistance.Cosine ? 1 - TensorPrimitives.Dot(query, row) : TensorPrimitives.Distance(query, row);
            if (heap.Count < k) heap.Enqueue(r, d);
            else if (heap.TryPeek(out _, out var worst) && d < worst) heap.EnqueueDequeue(r, d);
        }
        var hits = new SearchHit[heap.Count];
        for (int i = hits.Length - 1; i >= 0; i--)
        {
            heap.TryDequeue(out var row, out var d);
            hits[i] = new SearchHit(row, d);
        }
        return hits;
    }

    private void CheckQuery(ReadOnlySpan<float> query, int k, string what)
    {
        if (k < 1) throw new ArgumentOutOfRangeException(nameof(k), k, "k must be at least 1.");
        if (query.Length != Dimension)
            throw new ArgumentException($"The {what} has {query.Length} values; the index holds codes of {Dimension}.");
        if (!VectorColumn.AllFinite(query)) throw new ArgumentException($"The {what} holds NaN or infinity.");
    }

    private static void Normalize(Span<float> v)
    {
        float norm = TensorPrimitives.Norm<float>(v);
        if (norm > 0) TensorPrimitives.Divide(v, norm, v);
    }
}
