using Microsoft.ML.Autoencoders;

namespace AutoencoderSamples.Common;

/// <summary>
/// Free-text search measured as a user meets it: each query document's short text (<see cref="RetrievalCorpus.FreeTextQueries"/>)
/// searches the database with every method — the document index's three rankings (codes, BM25, hybrid) and the vector
/// baselines (LSA, TF-IDF cosine) — scored by precision@k and @1 (relevant = sharing a label; a method that returns fewer
/// than k documents scores the missing ones as misses) and by how much the top-k of two different queries overlap.
/// </summary>
internal static class FreeTextRetrieval
{
    /// <summary>Queries whose pairwise top-k overlap is averaged (the first of a seeded shuffle).</summary>
    public const int OverlapQueries = 200;

    public sealed record Method(string Key, string Name, double PrecisionAt10, double PrecisionAt1, double Overlap);

    public sealed record Result(int Queries, IReadOnlyList<Method> Methods);

    public static string KeyOf(DocumentRanking ranking) => ranking switch
    {
        DocumentRanking.Codes => "ae10",
        DocumentRanking.Lexical => "bm25",
        _ => "hybrid",
    };

    /// <param name="vectorMethods">Baselines: key, name, database vectors, and the map from TF-IDF rows to their vectors.</param>
    public static Result Evaluate(RetrievalCorpus corpus, DocumentSearchIndex index,
        IReadOnlyList<(string Key, string Name, float[][] Database, Func<float[][], float[][]> FromTfIdf)> vectorMethods, BagOfWords words, int k, int seed)
    {
        var asked = corpus.FreeTextQueries.Select((text, i) => (text, i)).Where(p => p.text.Length > 0).ToArray();
        var texts = asked.Select(p => p.text).ToArray();
        var relevantLabels = asked.Select(p => corpus.Queries[p.i].Labels).ToArray();
        var databaseLabels = corpus.Database.Select(d => d.Labels).ToArray();

        var rankings = new List<(string Key, string Name, int[][] Rows)>();
        foreach (var ranking in new[] { DocumentRanking.Codes, DocumentRanking.Lexical, DocumentRanking.Hybrid })
            rankings.Add((KeyOf(ranking), ranking switch
            {
                DocumentRanking.Codes => "autoencoder-10 codes",
                DocumentRanking.Lexical => "BM25",
                _ => $"hybrid (BM25 + codes, λ = {index.LexicalWeight})",
            }, index.Search(texts, k, ranking).Select(hits => hits.Select(h => h.Row).ToArray()).ToArray()));
        var (_, tfidf) = words.Featurize(texts);
        foreach (var (key, name, database, fromTfIdf) in vectorMethods)
        {
            var vectors = CodeIndex.Create(database, CodeDistance.Cosine);
            rankings.Add((key, name, vectors.Search(fromTfIdf(tfidf), k).Select(hits => hits.Select(h => h.Row).ToArray()).ToArray()));
        }

        var random = new Random(seed);
        var sample = Enumerable.Range(0, texts.Length).OrderBy(_ => random.Next()).Take(OverlapQueries).ToArray();
        var methods = rankings.Select(r =>
        {
            double Relevant(int q, int row) => databaseLabels[row].Intersect(relevantLabels[q]).Any() ? 1 : 0;
            double atK = r.Rows.Select((rows, q) => rows.Sum(row => Relevant(q, row)) / k).DefaultIfEmpty().Average();
            double at1 = r.Rows.Select((rows, q) => rows.Length == 0 ? 0 : Relevant(q, rows[0])).DefaultIfEmpty().Average();
            return new Method(r.Key, r.Name, atK, at1, MeanOverlap(sample.Select(q => r.Rows[q]).ToArray()));
        }).ToArray();
        return new Result(texts.Length, methods);
    }

    /// <summary>The mean Jaccard similarity of the result sets of every pair of queries (two empty sets count as 0).</summary>
    private static double MeanOverlap(int[][] results)
    {
        double sum = 0;
        long pairs = 0;
        for (int a = 0; a < results.Length; a++)
            for (int b = a + 1; b < results.Length; b++)
            {
                int union = results[a].Union(results[b]).Count();
                sum += union == 0 ? 0 : results[a].Intersect(results[b]).Count() / (double)union;
                pairs++;
            }
        return pairs == 0 ? 0 : sum / pairs;
    }
}
