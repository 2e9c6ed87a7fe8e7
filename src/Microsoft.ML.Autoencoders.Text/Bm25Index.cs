namespace Microsoft.ML.Autoencoders;

/// <summary>
/// Okapi BM25 (Robertson &amp; Zaragoza 2009) over term counts — the lexical ranking search engines use, and the baseline a
/// free-text query is measured against: score(q, d) = Σ over the query's terms t of
/// IDF(t) · f(t, d) · (k1 + 1) / (f(t, d) + k1 · (1 − b + b · |d| / avgdl)), with IDF(t) = ln(1 + (N − df + 0.5) / (df + 0.5)),
/// f(t, d) the count of t in d and |d| the document's count over the vocabulary. The counts are those of a
/// <see cref="BagOfWords"/> (ML.NET's text transforms); the index keeps one posting list per term.
/// </summary>
public sealed class Bm25Index
{
    /// <summary>Default <c>k1</c>: how fast repeated terms saturate.</summary>
    public const double DefaultK1 = 1.2;

    /// <summary>Default <c>b</c>: how much a document's length normalises its counts.</summary>
    public const double DefaultB = 0.75;

    private readonly (int Document, float Count)[][] _postings;
    private readonly float[] _lengths;
    private readonly double[] _idf;
    private readonly double _averageLength;

    private Bm25Index((int, float)[][] postings, float[] lengths, double[] idf, double k1, double b)
    {
        _postings = postings;
        _lengths = lengths;
        _idf = idf;
        _averageLength = lengths.Length == 0 ? 0 : Math.Max(lengths.Average(l => (double)l), 1e-9);
        (K1, B) = (k1, b);
    }

    /// <summary>Number of indexed documents.</summary>
    public int Count => _lengths.Length;

    /// <summary>Length of a count vector (the vocabulary's slots).</summary>
    public int Terms => _postings.Length;

    /// <summary>Term saturation.</summary>
    public double K1 { get; }

    /// <summary>Length normalisation.</summary>
    public double B { get; }

    /// <summary>Indexes <paramref name="counts"/> (one row per document, one non-negative finite count per term).</summary>
    public static Bm25Index Create(IReadOnlyList<float[]> counts, double k1 = DefaultK1, double b = DefaultB)
    {
        ArgumentNullException.ThrowIfNull(counts);
        if (!(k1 >= 0) || !double.IsFinite(k1)) throw new ArgumentOutOfRangeException(nameof(k1), k1, "k1 must be a finite number ≥ 0.");
        if (!(b >= 0 && b <= 1)) throw new ArgumentOutOfRangeException(nameof(b), b, "b must lie in [0, 1].");
        if (counts.Count == 0) throw new ArgumentException("There are no documents to index.", nameof(counts));
        int terms = counts[0]?.Length ?? 0;
        var postings = Enumerable.Range(0, terms).Select(_ => new List<(int, float)>()).ToArray();
        var lengths = new float[counts.Count];
        for (int d = 0; d < counts.Count; d++)
        {
            var row = counts[d] ?? throw new ArgumentException($"Document {d} is null.", nameof(counts));
            if (row.Length != terms) throw new ArgumentException($"Document {d} has {row.Length} counts; document 0 has {terms}.", nameof(counts));
            for (int t = 0; t < terms; t++)
            {
                float c = row[t];
                if (!(c >= 0) || !float.IsFinite(c)) throw new ArgumentException($"Document {d} has count {c} for term {t}; counts must be finite and ≥ 0.", nameof(counts));
                if (c == 0) continue;
                postings[t].Add((d, c));
                lengths[d] += c;
            }
        }
        int n = counts.Count;
        var idf = postings.Select(p => Math.Log(1 + (n - p.Count + 0.5) / (p.Count + 0.5))).ToArray();
        return new Bm25Index(postings.Select(p => p.ToArray()).ToArray(), lengths, idf, k1, b);
    }

    /// <summary>The BM25 score of every document for the query's counts (0 for documents sharing no term with it).</summary>
    public float[] Scores(ReadOnlySpan<float> query)
    {
        if (query.Length != Terms) throw new ArgumentException($"The query has {query.Length} counts; the index has {Terms} terms.", nameof(query));
        var scores = new float[Count];
        for (int t = 0; t < query.Length; t++)
        {
            float q = query[t];
            if (q == 0) continue;
            if (!(q > 0) || !float.IsFinite(q)) throw new ArgumentException($"The query has count {q} for term {t}; counts must be finite and ≥ 0.", nameof(query));
            double weight = q * _idf[t];
            foreach (var (d, f) in _postings[t])
            {
                double norm = K1 * (1 - B + B * _lengths[d] / _averageLength);
                scores[d] += (float)(weight * f * (K1 + 1) / (f + norm));
            }
        }
        return scores;
    }

    /// <summary>
    /// The <paramref name="k"/> documents with the highest BM25 scores for the query's counts, best first, as hits whose
    /// <see cref="SearchHit.Distance"/> is the negated score (smaller is closer, as for the code indexes). Documents that
    /// share no term with the query are left out, so fewer than <paramref name="k"/> may come back.
    /// </summary>
    public SearchHit[] Search(ReadOnlySpan<float> query, int k)
    {
        if (k < 1) throw new ArgumentOutOfRangeException(nameof(k), k, "k must be at least 1.");
        var scores = Scores(query);
        return scores.Select((s, d) => (s, d)).Where(p => p.s > 0).OrderByDescending(p => p.s).ThenBy(p => p.d).Take(k)
            .Select(p => new SearchHit(p.d, -p.s)).ToArray();
    }
}
