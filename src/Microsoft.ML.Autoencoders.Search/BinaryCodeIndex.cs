using Microsoft.ML.Autoencoders.Training.Data;
using System.Numerics;

namespace Microsoft.ML.Autoencoders;

/// <summary>
/// Semantic hashing: codes thresholded to bits (one per code unit) and searched by Hamming distance with popcounts —
/// a few machine words per row instead of floats, the route to very large collections. Thresholds default to each
/// unit's median over the indexed rows, so every bit splits the collection in half.
/// </summary>
public sealed class BinaryCodeIndex : ICodeIndex<BinaryCodeIndex>
{
    private const int FormatVersion = 1;
    private const int StackLimit = 1024; // longer codes keep their per-query buffers on the heap
    private static readonly byte[] Magic = "AEBINIDX"u8.ToArray();

    private readonly ulong[] _bits; // [Count, Words]
    private readonly float[] _thresholds;

    private readonly Lazy<MultiIndexHashing?> _multiIndex;

    private BinaryCodeIndex(ulong[] bits, float[] thresholds, int count)
    {
        _bits = bits;
        _thresholds = thresholds;
        Count = count;
        _multiIndex = new(() => MultiIndexHashing.Worthwhile(count, thresholds.Length) ? new MultiIndexHashing(bits, count, thresholds.Length) : null);
    }

    /// <summary>Number of indexed rows.</summary>
    public int Count { get; }

    /// <summary>Bits per row (the code length).</summary>
    public int Bits => _thresholds.Length;

    /// <summary>Length of a code before thresholding (= <see cref="Bits"/>).</summary>
    public int Dimension => Bits;

    private int Words => WordsFor(Bits);

    private static int WordsFor(int bits) => (int)((bits + 63L) / 64);

    /// <summary>The value each code unit is compared with: bit = value &gt; threshold.</summary>
    public IReadOnlyList<float> Thresholds => _thresholds;

    /// <summary>Indexes <paramref name="codes"/>; <paramref name="thresholds"/> null uses each unit's median.</summary>
    public static BinaryCodeIndex Create(IReadOnlyList<float[]> codes, float[]? thresholds = null)
    {
        int bits = CodeIndex.CheckCodes(codes);
        if (thresholds is not null && thresholds.Length != bits)
            throw new ArgumentException($"{thresholds.Length} thresholds given for codes of {bits} values.", nameof(thresholds));
        if (thresholds is not null && !VectorColumn.AllFinite(thresholds))
            throw new ArgumentException("The thresholds hold NaN or infinity; each must be a finite value to compare a code unit with.", nameof(thresholds));
        thresholds ??= Enumerable.Range(0, bits).Select(j => Median(codes.Select(c => c[j]).ToArray())).ToArray();
        int words = WordsFor(bits);
        if ((long)codes.Count * words > Array.MaxLength)
            throw new ArgumentException($"{codes.Count} rows of {bits} bits do not fit in one index (at most {Array.MaxLength} 64-bit words); split the collection.", nameof(codes));
        var packed = new ulong[(long)codes.Count * words];
        for (int i = 0; i < codes.Count; i++) Pack(codes[i], thresholds, packed.AsSpan((int)((long)i * words), words));
        return new BinaryCodeIndex(packed, thresholds, codes.Count);
    }

    /// <summary>Indexes the vector column <paramref name="column"/> of <paramref name="data"/>.</summary>
    public static BinaryCodeIndex Create(IDataView data, string column, float[]? thresholds = null) =>
        Create(VectorColumn.ReadRows(data, column), thresholds);

    /// <summary>
    /// The <paramref name="k"/> rows whose bits differ least from the query's (Distance = differing bits; ties by row).
    /// Large indexes answer through multi-index hashing (built on the first search), which probes a few hash tables
    /// instead of every row and gives exactly the scan's result; a query whose neighbours are too far for that to pay is scanned.
    /// </summary>
    public SearchHit[] Search(ReadOnlySpan<float> query, int k) => Search(query, k, allowMultiIndex: true);

    /// <summary>The search by scanning every row (what multi-index hashing must equal; tests compare them).</summary>
    internal SearchHit[] SearchByScan(ReadOnlySpan<float> query, int k) => Search(query, k, allowMultiIndex: false);

    /// <summary>Whether searches go through multi-index hashing (for tests and benchmarks).</summary>
    internal bool UsesMultiIndex => _multiIndex.Value is not null;

    /// <summary>Distinct codes among the rows, as multi-index hashing keeps them (for tests and benchmarks).</summary>
    internal int DistinctCodes => _multiIndex.Value?.DistinctCodes ?? Count;

    /// <summary>Queries multi-index hashing answered without scanning (for tests and benchmarks).</summary>
    internal long MultiIndexAnswers => _multiIndex.Value?.Answered ?? 0;

    private SearchHit[] Search(ReadOnlySpan<float> query, int k, bool allowMultiIndex)
    {
        if (k < 1) throw new ArgumentOutOfRangeException(nameof(k), k, "k must be at least 1.");
        if (query.Length != Bits) throw new ArgumentException($"The query has {query.Length} values; the index holds codes of {Bits}.");
        if (!VectorColumn.AllFinite(query)) throw new ArgumentException("The query holds NaN or infinity; a bit cannot be read from it.");
        int words = Words;
        Span<ulong> q = words <= StackLimit ? stackalloc ulong[words] : new ulong[words];
        Pack(query, _thresholds, q);
        k = Math.Min(k, Count);
        if (allowMultiIndex && _multiIndex.Value?.Search(q, k) is { } viaTables) return viaTables;
        // Distances are integers 0 … Bits: one pass computes them and their histogram, which gives the
        // distance D of the k-th nearest row; a second pass collects rows closer than D, then rows at D in row order.
        var distances = System.Buffers.ArrayPool<int>.Shared.Rent(Count);
        Span<int> histogram = Bits < StackLimit ? stackalloc int[Bits + 1] : new int[Bits + 1];
        for (int r = 0; r < Count; r++)
        {
            int d = 0;
            var row = _bits.AsSpan((int)((long)r * words), words);
            for (int w = 0; w < words; w++) d += BitOperations.PopCount(row[w] ^ q[w]);
            distances[r] = d;
            histogram[d]++;
        }
        int cutoff = 0, closer = 0;
        while (closer + histogram[cutoff] < k) closer += histogram[cutoff++];
        var hits = new SearchHit[k];
        int n = 0, atCutoff = k - closer;
        for (int r = 0; r < Count && (n < closer || atCutoff > 0); r++)
        {
            int d = distances[r];
            if (d < cutoff) hits[n++] = new SearchHit(r, d);
            else if (d == cutoff && atCutoff > 0) { hits[closer + (k - closer - atCutoff)] = new SearchHit(r, d); atCutoff--; }
        }
        System.Buffers.ArrayPool<int>.Shared.Return(distances);
        // Closest first; within one distance, row order (a stable sort of the closer part).
        Array.Sort(hits, 0, closer, Comparer<SearchHit>.Create((x, y) => x.Distance != y.Distance ? x.Distance.CompareTo(y.Distance) : x.Row.CompareTo(y.Row)));
        return hits;
    }

    /// <summary>Searches with every row of the known-size vector column <paramref name="column"/> of <paramref name="queries"/>.</summary>
    public SearchHit[][] Search(IDataView queries, string column, int k) => Search(CodeQueries.Of(queries, column), k);

    /// <summary>Searches a batch of queries in parallel.</summary>
    public SearchHit[][] Search(IReadOnlyList<float[]> queries, int k)
    {
        ArgumentNullException.ThrowIfNull(queries);
        var results = new SearchHit[queries.Count][];
        Parallel.For(0, queries.Count, i => results[i] = Search(queries[i], k));
        return results;
    }

    /// <summary>Writes the index (thresholds and bits) to <paramref name="path"/>, never leaving a partial file.</summary>
    public void Save(string path) => IndexFile.Write(path, Magic, w =>
    {
        w.Write(FormatVersion);
        w.Write(Count);
        w.Write(Bits);
        foreach (var t in _thresholds) w.Write(t);
        foreach (var b in _bits) w.Write(b);
    });

    /// <summary>Reads an index written by <see cref="Save"/>; a truncated, corrupt or foreign file throws <see cref="InvalidDataException"/> naming it.</summary>
    public static BinaryCodeIndex Load(string path) => IndexFile.Read(path, Magic, r =>
    {
        int version = r.ReadInt32(), count = r.ReadInt32(), bits = r.ReadInt32();
        if (version != FormatVersion) throw new InvalidDataException($"format version {version} is not supported (this library reads {FormatVersion})");
        if (count < 1 || bits < 1 || r.BaseStream.Length - r.BaseStream.Position != bits * 4L + count * ((bits + 63L) / 64) * 8)
            throw new InvalidDataException($"its header ({count} rows of {bits} bits) does not describe its contents");
        int words = WordsFor(bits);
        if ((long)count * words > Array.MaxLength) throw new InvalidDataException($"its {count} rows of {bits} bits are more than one index can hold");
        var thresholds = new float[bits];
        for (int i = 0; i < bits; i++) thresholds[i] = r.ReadSingle();
        if (!VectorColumn.AllFinite(thresholds)) throw new InvalidDataException("its thresholds hold NaN or infinity");
        var packed = new ulong[(long)count * words];
        for (int i = 0; i < packed.Length; i++) packed[i] = r.ReadUInt64();
        return new BinaryCodeIndex(packed, thresholds, count);
    });

    private static void Pack(ReadOnlySpan<float> code, float[] thresholds, Span<ulong> words)
    {
        words.Clear();
        for (int j = 0; j < code.Length; j++)
            if (code[j] > thresholds[j]) words[j >> 6] |= 1UL << (j & 63);
    }

    private static float Median(float[] values)
    {
        Array.Sort(values);
        return values[values.Length / 2];
    }
}
