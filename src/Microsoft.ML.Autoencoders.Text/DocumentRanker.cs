namespace Microsoft.ML.Autoencoders;

/// <summary>
/// Ranks the documents of an index for a query given as its code and its word counts, by <see cref="DocumentRanking"/>:
/// code similarity (1 − cosine distance; for a Euclidean index 1 − d / the farthest row's d), BM25, or their mix.
/// </summary>
internal sealed class DocumentRanker(CodeIndex codes, Bm25Index lexical, DocumentRanking ranking, double lexicalWeight)
{
    public DocumentRanking Ranking { get; } = ranking;
    public double LexicalWeight { get; } = lexicalWeight;

    /// <summary>The <paramref name="k"/> best rows, best first; a hit's distance is 1 − its score (Lexical: −BM25).</summary>
    public SearchHit[] Rank(float[] code, float[] counts, int k, DocumentRanking? ranking = null)
    {
        switch (ranking ?? Ranking)
        {
            case DocumentRanking.Codes:
                return codes.Search(code, k);
            case DocumentRanking.Lexical:
                return lexical.Search(counts, k);
            default:
                var similarity = CodeSimilarities(code);
                var bm25 = lexical.Scores(counts);
                float best = bm25.Length == 0 ? 0 : bm25.Max();
                float w = (float)LexicalWeight;
                var scores = new float[similarity.Length];
                for (int i = 0; i < scores.Length; i++) scores[i] = (best > 0 ? w * bm25[i] / best : 0) + (1 - w) * similarity[i];
                return scores.Select((s, row) => (s, row)).OrderByDescending(p => p.s).ThenBy(p => p.row).Take(k)
                    .Select(p => new SearchHit(p.row, 1 - p.s)).ToArray();
        }
    }

    private float[] CodeSimilarities(float[] code)
    {
        var distances = codes.Distances(code);
        if (codes.Distance == CodeDistance.Cosine) return distances.Select(d => 1 - d).ToArray();
        float farthest = Math.Max(distances.Max(), 1e-12f);
        return distances.Select(d => 1 - d / farthest).ToArray();
    }
}
