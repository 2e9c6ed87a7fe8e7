using System.Numerics;

namespace Microsoft.ML.Autoencoders;

/// <summary>
/// Exact k-nearest Hamming search by multi-index hashing (Norouzi, Punjani &amp; Fleet 2012): the code is cut into m
/// substrings of s bits, each with a hash table from substring value to rows. By the pigeonhole principle a row within
/// distance d of the query matches it within ⌊d/m⌋ bits on some substring, so probing every table at substring radius
/// 0, 1, 2, … finds all rows within m(ρ + 1) − 1 after radius ρ; the search stops once k verified rows lie within that
/// bound. Results equal the linear scan's, ties included (closest first, then row order). When the probes would touch
/// more keys than a scan touches rows, it gives up and the caller scans.
/// </summary>
internal sealed class MultiIndexHashing
{
    private readonly ulong[] _bits;
    private readonly int _words, _count, _bitCount, _substringBits, _substrings;
    private readonly Dictionary<uint, int[]>[] _tables;

    public MultiIndexHashing(ulong[] bits, int count, int bitCount)
    {
        _bits = bits;
        _count = count;
        _bitCount = bitCount;
        _words = (bitCount + 63) / 64;
        // m substrings of about log2(rows) bits each (Norouzi et al.'s choice), as equal as the code length allows, at most 32 bits.
        _substrings = Math.Max(1, (int)Math.Round(bitCount / Math.Log2(Math.Max(count, 2))));
        _substringBits = (bitCount + _substrings - 1) / _substrings;
        while (_substringBits > 32) _substringBits = (bitCount + ++_substrings - 1) / _substrings;
        _substrings = (bitCount + _substringBits - 1) / _substringBits;
        _tables = new Dictionary<uint, int[]>[_substrings];
        for (int t = 0; t < _substrings; t++)
        {
            var lists = new Dictionary<uint, List<int>>();
            for (int r = 0; r < count; r++)
            {
                uint key = Substring(_bits.AsSpan(r * _words, _words), t);
                if (!lists.TryGetValue(key, out var rows)) lists[key] = rows = [];
                rows.Add(r);
            }
            _tables[t] = lists.ToDictionary(kv => kv.Key, kv => kv.Value.ToArray());
        }
        _seen = new ThreadLocal<(int[] Stamps, int[] Stamp)>(() => (new int[count], [0]));
    }

    /// <summary>Per thread: the query number each row was last verified for, so a row found in two tables is verified once.</summary>
    private readonly ThreadLocal<(int[] Stamps, int[] Stamp)> _seen;

    private long _answered;

    /// <summary>Queries answered from the tables (the others fell back to the scan).</summary>
    public long Answered => Interlocked.Read(ref _answered);

    /// <summary>Whether this index can be worth building: enough rows to beat a scan and codes short enough to cut.</summary>
    public static bool Worthwhile(int count, int bitCount) => count >= 4096 && bitCount <= 1024;

    /// <summary>
    /// The k nearest rows to <paramref name="query"/> (packed), or null when a scan would be cheaper: the search gives up
    /// once its probes and verified rows reach a quarter of the rows, so it is never much slower than the scan it falls back to.
    /// </summary>
    public SearchHit[]? Search(ReadOnlySpan<ulong> query, int k)
    {
        var (stamps, stamp) = _seen.Value;
        if (++stamp[0] == int.MaxValue) { Array.Clear(stamps); stamp[0] = 1; }
        int current = stamp[0];
        Span<uint> queryKeys = stackalloc uint[_substrings];
        for (int t = 0; t < _substrings; t++) queryKeys[t] = Substring(query, t);
        var candidates = new List<SearchHit>();
        var histogram = new int[_bitCount + 1];   // verified rows per distance
        long work = 0, budget = Math.Max(64, _count / 4);
        int within = 0;                            // verified rows within the current bound
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
                    if (++work > budget) return null;
                    if (_tables[t].TryGetValue(queryKeys[t] ^ (uint)flip, out var rows))
                    {
                        work += rows.Length;
                        if (work > budget) return null;
                        foreach (int r in rows)
                        {
                            if (stamps[r] == current) continue;
                            stamps[r] = current;
                            int d = Distance(_bits.AsSpan(r * _words, _words), query);
                            candidates.Add(new SearchHit(r, d));
                            histogram[d]++;
                        }
                    }
                    if (radius == 0) break;
                }
            }
            // Every row within this bound has now been verified.
            int bound = (int)Math.Min(_bitCount, (long)_substrings * (radius + 1) - 1);
            within = 0;
            for (int d = 0; d <= bound; d++) within += histogram[d];
            if (within >= k || bound >= _bitCount)
            {
                Interlocked.Increment(ref _answered);
                // Only rows up to the k-th smallest distance can be in the answer: sort those alone.
                int kth = 0;
                for (int seen = histogram[0]; seen < k; seen += histogram[++kth]) { }
                var hits = candidates.Where(c => c.Distance <= kth).ToList();
                hits.Sort((x, y) => x.Distance != y.Distance ? x.Distance.CompareTo(y.Distance) : x.Row.CompareTo(y.Row));
                return hits.Take(k).ToArray();
            }
        }
        return null;
    }

    private int SubstringWidth(int t) => Math.Min(_substringBits, _bitCount - t * _substringBits);

    private uint Substring(ReadOnlySpan<ulong> row, int t)
    {
        int start = t * _substringBits, width = SubstringWidth(t), word = start >> 6, offset = start & 63;
        ulong value = row[word] >> offset;
        if (offset + width > 64) value |= row[word + 1] << (64 - offset);
        return (uint)(value & ((1UL << width) - 1));
    }

    private int Distance(ReadOnlySpan<ulong> row, ReadOnlySpan<ulong> query)
    {
        int d = 0;
        for (int w = 0; w < _words; w++) d += BitOperations.PopCount(row[w] ^ query[w]);
        return d;
    }

    private static ulong NextWithSamePopCount(ulong v)
    {
        if (v == 0) return ulong.MaxValue;
        ulong t = v | (v - 1);
        return (t + 1) | (((~t & (t + 1)) - 1) >> (BitOperations.TrailingZeroCount(v) + 1));
    }
}
