using System.Numerics;

namespace Microsoft.ML.Autoencoders;

/// <summary>
/// Exact k-nearest Hamming search by multi-index hashing (Norouzi, Punjani &amp; Fleet 2012): the code is cut into m
/// substrings of s bits, each with a table from substring value to codes. By the pigeonhole principle a row within
/// distance d of the query matches it within ⌊d/m⌋ bits on some substring, so probing every table at substring radius
/// 0, 1, 2, … finds all rows within m(ρ + 1) − 1 after radius ρ; the search stops once k verified rows lie within that
/// bound. Rows with the same code are one entry (real collections repeat codes: near-duplicate documents and images), so a
/// probe verifies a code once for all its rows. Results equal the linear scan's, ties included (closest first, then row
/// order). When the probes would touch more entries than a scan touches rows, it gives up and the caller scans.
/// </summary>
internal sealed class MultiIndexHashing
{
    /// <summary>Longest substring: each table is addressed directly (an offset per substring value, 4 MB at 20 bits).</summary>
    private const int MaxSubstringBits = 20;

    private readonly int _words, _count, _bitCount, _substringBits, _substrings;
    private readonly ulong[] _codes;                 // the distinct codes, [distinct, words]
    private readonly int[] _rowStart, _rows;         // rows of distinct code c: _rows[_rowStart[c] .. _rowStart[c + 1]), ascending
    private readonly int[][] _offsets;               // per table: start of each substring value's entries in _entries
    private readonly Entry[][] _entries;             // per table: the distinct codes, grouped by substring value

    /// <summary>A distinct code in a table: its first 64 bits (all of a code of up to 64 bits, read without a second lookup), its number and its row count.</summary>
    private readonly record struct Entry(ulong First, int Code, int Rows);

    public MultiIndexHashing(ulong[] bits, int count, int bitCount)
    {
        _count = count;
        _bitCount = bitCount;
        _words = (bitCount + 63) / 64;
        (_codes, _rowStart, _rows) = Distinct(bits, count, _words);
        int distinct = _rowStart.Length - 1;
        // m substrings of about log2(distinct codes) bits each (Norouzi et al.'s choice), as equal as the code length allows,
        // at most 20 bits (beyond a million distinct codes a few more, shorter substrings, instead of tables too large to address).
        _substrings = Math.Max(1, (int)Math.Round(bitCount / Math.Log2(Math.Max(distinct, 2))));
        _substringBits = (bitCount + _substrings - 1) / _substrings;
        while (_substringBits > MaxSubstringBits) _substringBits = (bitCount + ++_substrings - 1) / _substrings;
        _substrings = (bitCount + _substringBits - 1) / _substringBits;
        _offsets = new int[_substrings][];
        _entries = new Entry[_substrings][];
        for (int t = 0; t < _substrings; t++)
        {
            // Counting sort of the distinct codes by substring value.
            int width = SubstringWidth(t);
            var offsets = new int[(1 << width) + 1];
            for (int c = 0; c < distinct; c++) offsets[Substring(Code(c), t) + 1]++;
            for (int v = 0; v < 1 << width; v++) offsets[v + 1] += offsets[v];
            var next = offsets[..^1];
            var entries = new Entry[distinct];
            for (int c = 0; c < distinct; c++) entries[next[Substring(Code(c), t)]++] = EntryOf(c);
            (_offsets[t], _entries[t]) = (offsets, entries);
        }
        _scratch = new ThreadLocal<Scratch>(() => new Scratch(bitCount));
    }

    private Entry EntryOf(int c) => new(_codes[c * _words], c, _rowStart[c + 1] - _rowStart[c]);

    /// <summary>Per-thread buffers: the verified codes and a histogram of their rows by distance.</summary>
    private sealed class Scratch(int bitCount)
    {
        public readonly List<(int Code, int Distance)> Candidates = [];
        public readonly int[] Histogram = new int[bitCount + 1];
    }

    private readonly ThreadLocal<Scratch> _scratch;

    private long _answered;

    /// <summary>Queries answered from the tables (the others fell back to the scan).</summary>
    public long Answered => Interlocked.Read(ref _answered);

    /// <summary>Distinct codes among the rows.</summary>
    public int DistinctCodes => _rowStart.Length - 1;

    /// <summary>
    /// Whether this index can be worth building: enough rows to beat a scan, and codes short enough that near neighbours
    /// share whole substrings (and that m tables of every distinct code stay a modest multiple of the codes' own size).
    /// </summary>
    public static bool Worthwhile(int count, int bitCount) => count >= 4096 && bitCount <= 256;

    /// <summary>
    /// The k nearest rows to <paramref name="query"/> (packed), or null when a scan would be cheaper: the search gives up
    /// once its probes and verified codes reach a quarter of the rows, so it is never much slower than the scan it falls back to.
    /// </summary>
    public SearchHit[]? Search(ReadOnlySpan<ulong> query, int k)
    {
        var s = _scratch.Value!;
        s.Candidates.Clear();
        Array.Clear(s.Histogram);
        Span<uint> queryKeys = stackalloc uint[_substrings];
        for (int t = 0; t < _substrings; t++) queryKeys[t] = Substring(query, t);
        Span<ulong> difference = _words <= 16 ? stackalloc ulong[_words] : new ulong[_words];
        long work = 0, budget = Math.Max(64, _count / 4);
        for (int radius = 0; radius <= _substringBits; radius++)
        {
            for (int t = 0; t < _substrings; t++)
            {
                int width = SubstringWidth(t);
                if (radius > width) continue;
                // Every key differing from the query's substring in exactly `radius` of its `width` bits (Gosper's hack).
                ulong limit = 1UL << width;
                for (ulong flip = (1UL << radius) - 1; flip < limit; flip = NextWithSamePopCount(flip))
                {
                    var entries = Bucket(t, queryKeys[t] ^ (uint)flip);
                    work += 1 + entries.Length;
                    if (work > budget) return null;
                    foreach (var entry in entries)
                    {
                        difference[0] = entry.First ^ query[0];
                        for (int w = 1; w < difference.Length; w++) difference[w] = _codes[entry.Code * _words + w] ^ query[w];
                        // A code matching several substrings is verified where the search meets it first: the lowest radius, then the first table.
                        if (!FirstMet(difference, t, radius)) continue;
                        int d = 0;
                        foreach (var x in difference) d += BitOperations.PopCount(x);
                        s.Candidates.Add((entry.Code, d));
                        s.Histogram[d] += entry.Rows;
                    }
                    if (radius == 0) break;
                }
            }
            // Every row within this bound has now been verified.
            int bound = (int)Math.Min(_bitCount, (long)_substrings * (radius + 1) - 1);
            int within = 0;
            for (int d = 0; d <= bound; d++) within += s.Histogram[d];
            if (within >= k || bound >= _bitCount)
            {
                Interlocked.Increment(ref _answered);
                return Answer(s, k);
            }
        }
        return null;
    }

    /// <summary>The k rows of the verified codes closest first, ties by row; only codes up to the k-th row's distance are expanded.</summary>
    private SearchHit[] Answer(Scratch s, int k)
    {
        int kth = 0;
        for (int seen = s.Histogram[0]; seen < k; seen += s.Histogram[++kth]) { }
        var hits = new List<SearchHit>(k);
        foreach (var (c, d) in s.Candidates)
            if (d <= kth)
                for (int i = _rowStart[c]; i < _rowStart[c + 1]; i++) hits.Add(new SearchHit(_rows[i], d));
        hits.Sort((x, y) => x.Distance != y.Distance ? x.Distance.CompareTo(y.Distance) : x.Row.CompareTo(y.Row));
        return hits.Take(k).ToArray();
    }

    /// <summary>Whether a code differing from the query by <paramref name="difference"/>, met in table <paramref name="table"/> at <paramref name="radius"/>, was not met before: no earlier table within that radius, no later one closer.</summary>
    private bool FirstMet(ReadOnlySpan<ulong> difference, int table, int radius)
    {
        for (int t = 0; t < _substrings; t++)
            if (t != table && BitOperations.PopCount(Substring(difference, t)) is int r && (t < table ? r <= radius : r < radius)) return false;
        return true;
    }

    private ReadOnlySpan<Entry> Bucket(int table, uint key) => _entries[table].AsSpan(_offsets[table][key], _offsets[table][key + 1] - _offsets[table][key]);

    private ReadOnlySpan<ulong> Code(int c) => _codes.AsSpan(c * _words, _words);

    /// <summary>The distinct codes (in order of first appearance) and, for each, its rows in ascending order.</summary>
    private static (ulong[] Codes, int[] RowStart, int[] Rows) Distinct(ulong[] bits, int count, int words)
    {
        var idOf = new Dictionary<CodeKey, int>();
        var codeOfRow = new int[count];
        var rowCount = new List<int>();
        for (int r = 0; r < count; r++)
        {
            var key = new CodeKey(bits, r * words, words);
            if (!idOf.TryGetValue(key, out int id)) { idOf[key] = id = rowCount.Count; rowCount.Add(0); }
            codeOfRow[r] = id;
            rowCount[id]++;
        }
        int distinct = rowCount.Count;
        var codes = new ulong[(long)distinct * words];
        var rowStart = new int[distinct + 1];
        for (int c = 0; c < distinct; c++) rowStart[c + 1] = rowStart[c] + rowCount[c];
        var next = rowStart[..^1];
        var rows = new int[count];
        for (int r = 0; r < count; r++)
        {
            int c = codeOfRow[r];
            if (next[c] == rowStart[c]) bits.AsSpan(r * words, words).CopyTo(codes.AsSpan(c * words, words));
            rows[next[c]++] = r;
        }
        return (codes, rowStart, rows);
    }

    /// <summary>One row's packed code as a dictionary key (compared by value).</summary>
    private readonly struct CodeKey(ulong[] bits, int start, int words) : IEquatable<CodeKey>
    {
        private ReadOnlySpan<ulong> Span => bits.AsSpan(start, words);
        public bool Equals(CodeKey other) => Span.SequenceEqual(other.Span);
        public override bool Equals(object? obj) => obj is CodeKey other && Equals(other);
        public override int GetHashCode()
        {
            var hash = new HashCode();
            foreach (var w in Span) hash.Add(w);
            return hash.ToHashCode();
        }
    }

    private int SubstringWidth(int t) => Math.Min(_substringBits, _bitCount - t * _substringBits);

    private uint Substring(ReadOnlySpan<ulong> row, int t)
    {
        int start = t * _substringBits, width = SubstringWidth(t), word = start >> 6, offset = start & 63;
        ulong value = row[word] >> offset;
        if (offset + width > 64) value |= row[word + 1] << (64 - offset);
        return (uint)(value & ((1UL << width) - 1));
    }

    private static ulong NextWithSamePopCount(ulong v)
    {
        if (v == 0) return ulong.MaxValue;
        ulong t = v | (v - 1);
        return (t + 1) | (((~t & (t + 1)) - 1) >> (BitOperations.TrailingZeroCount(v) + 1));
    }
}
