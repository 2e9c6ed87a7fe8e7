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
        // Substrings of about log2(rows) bits (Norouzi et al.'s choice), at most 32.
        _substringBits = Math.Clamp((int)Math.Round(Math.Log2(Math.Max(count, 2))), 4, Math.Min(32, bitCount));
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
    }

    private long _answered;

    /// <summary>Queries answered from the tables (the others fell back to the scan).</summary>
    public long Answered => Interlocked.Read(ref _answered);

    /// <summary>Whether this index can be worth building: enough rows to beat a scan and codes short enough to cut.</summary>
    public static bool Worthwhile(int count, int bitCount) => count >= 4096 && bitCount <= 1024;

    /// <summary>The k nearest rows to <paramref name="query"/> (packed), or null when a scan would be cheaper.</summary>
    public SearchHit[]? Search(ReadOnlySpan<ulong> query, int k)
    {
        var queryKeys = new uint[_substrings];
        for (int t = 0; t < _substrings; t++) queryKeys[t] = Substring(query, t);
        var found = new Dictionary<int, int>();   // row → full distance
        long probes = 0;
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
                    if (++probes > _count) return null;
                    if (_tables[t].TryGetValue(queryKeys[t] ^ (uint)flip, out var rows))
                        foreach (int r in rows)
                            if (!found.ContainsKey(r)) found[r] = Distance(_bits.AsSpan(r * _words, _words), query);
                    if (radius == 0) break;
                }
            }
            // Every row within this bound has been found.
            long bound = (long)_substrings * (radius + 1) - 1;
            if (found.Count(kv => kv.Value <= bound) >= Math.Min(k, _count) || bound >= _bitCount)
            {
                Interlocked.Increment(ref _answered);
                return found.OrderBy(kv => kv.Value).ThenBy(kv => kv.Key).Take(k).Select(kv => new SearchHit(kv.Key, kv.Value)).ToArray();
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
