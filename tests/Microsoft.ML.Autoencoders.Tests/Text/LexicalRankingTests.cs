using Microsoft.ML.Autoencoders.Datasets;

namespace Microsoft.ML.Autoencoders.Tests.Text;

/// <summary>BM25, the rankings of a document index, and the unit-length word inputs that keep short queries apart.</summary>
public sealed class LexicalRankingTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("ae-lexical-");

    public void Dispose() => _dir.Delete(recursive: true);

    [Fact]
    public void Bm25_scores_follow_the_formula_and_rank_rare_matching_terms_first()
    {
        float[][] counts =
        [
            [2, 0, 1, 0],
            [0, 1, 0, 0],
            [1, 1, 1, 5],
            [0, 0, 0, 1],
        ];
        var index = Bm25Index.Create(counts);
        float[] query = [1, 0, 0, 1];
        var scores = index.Scores(query);
        double avgdl = counts.Average(r => r.Sum());
        for (int d = 0; d < counts.Length; d++)
        {
            double expected = 0;
            for (int t = 0; t < 4; t++)
            {
                if (query[t] == 0 || counts[d][t] == 0) continue;
                int df = counts.Count(r => r[t] > 0);
                double idf = Math.Log(1 + (counts.Length - df + 0.5) / (df + 0.5));
                double f = counts[d][t];
                expected += idf * f * 2.2 / (f + 1.2 * (0.25 + 0.75 * counts[d].Sum() / avgdl));
            }
            Assert.Equal(expected, scores[d], 5);
        }
        Assert.Equal(0, scores[1]); // shares no term
        var hits = index.Search(query, 10);
        Assert.Equal(3, hits.Length); // the document without a query term is left out
        Assert.Equal(scores.Select((s, d) => (s, d)).Where(p => p.s > 0).OrderByDescending(p => p.s).Select(p => p.d), hits.Select(h => h.Row));

        Assert.Throws<ArgumentOutOfRangeException>(() => Bm25Index.Create(counts, k1: double.NaN));
        Assert.Throws<ArgumentOutOfRangeException>(() => Bm25Index.Create(counts, b: 1.5));
        Assert.Contains("count -1", Assert.Throws<ArgumentException>(() => Bm25Index.Create([[1, -1]])).Message);
        Assert.Contains("3 counts", Assert.Throws<ArgumentException>(() => index.Scores(new float[3])).Message);
    }

    private static IReadOnlyList<Document> Corpus()
    {
        string[][] topics =
        [
            ["rain", "storm", "forecast", "wind", "snow", "clouds"],
            ["goal", "team", "league", "coach", "striker", "referee"],
            ["shares", "profit", "dividend", "investors", "stock", "earnings"],
        ];
        string[] common = ["today", "report", "people", "city", "week", "said"];
        var random = new Random(4);
        return Enumerable.Range(0, 90).Select(i => new Document
        {
            Id = i.ToString(System.Globalization.CultureInfo.InvariantCulture),
            Text = string.Join(' ', Enumerable.Range(0, 14).Select(j => j < 8 ? topics[i % 3][random.Next(6)] : common[random.Next(6)])),
            Labels = [(i % 3).ToString(System.Globalization.CultureInfo.InvariantCulture)],
        }).ToArray();
    }

    private static DocumentSearchOptions Options(WordInputScaling scaling = WordInputScaling.UnitLength) => new()
    {
        Words = new BagOfWordsOptions { VocabularySize = 50, InputScaling = scaling },
        Autoencoder = new AutoencoderOptions { EncoderLayers = [16], CodeSize = 3, Epochs = 30, BatchSize = 16, Seed = 2, CacheInMemory = true },
    };

    [Fact]
    public void Each_ranking_answers_by_its_own_rule_and_the_ranking_survives_save_and_load()
    {
        using var index = DocumentSearchIndex.Build(new MLContext(seed: 1), Corpus(), Options());
        Assert.Equal(DocumentRanking.Hybrid, index.Ranking);
        Assert.Equal(DocumentSearchOptions.DefaultLexicalWeight, index.LexicalWeight);
        string[] query = ["storm wind"];
        var lexical = index.Search(query, 5, DocumentRanking.Lexical)[0];
        var expected = index.Lexical.Search(index.Words.Counts(query)[0], 5);
        Assert.Equal(expected.Select(h => h.Row), lexical.Select(h => h.Row));
        var codes = index.Search(query, 5, DocumentRanking.Codes)[0];
        Assert.Equal(index.Index.Search(index.Encode(query)[0], 5).Select(h => h.Row), codes.Select(h => h.Row));
        // A query with no vocabulary word: BM25 finds nothing, the hybrid falls back to the codes' order.
        Assert.Empty(index.Search(["zebra quantum"], 5, DocumentRanking.Lexical)[0]);
        Assert.Equal(index.Search(["zebra quantum"], 5, DocumentRanking.Codes)[0].Select(h => h.Row), index.Search("zebra quantum", 5).Select(h => h.Row));

        var folder = Path.Combine(_dir.FullName, "index");
        index.Save(folder);
        using var loaded = DocumentSearchIndex.Load(new MLContext(), folder);
        Assert.Equal(index.Ranking, loaded.Ranking);
        Assert.Equal(index.LexicalWeight, loaded.LexicalWeight);
        Assert.Equal(WordInputScaling.UnitLength, loaded.Words.InputScaling);
        Assert.Equal(index.Search("storm wind", 10).Select(h => h.Row), loaded.Search("storm wind", 10).Select(h => h.Row));
        Assert.Equal(index.Encode(query)[0], loaded.Encode(query)[0]);
    }

    [Fact]
    public void Unit_length_inputs_give_a_short_query_the_scale_of_a_document()
    {
        var texts = Corpus().Select(d => d.Text).ToArray();
        var unit = BagOfWords.Fit(new MLContext(), texts, new BagOfWordsOptions { InputScaling = WordInputScaling.UnitLength });
        var maxLog = BagOfWords.Fit(new MLContext(), texts, new BagOfWordsOptions { InputScaling = WordInputScaling.MaxLogCount });
        double Norm(BagOfWords words, string text) => Math.Sqrt(words.AutoencoderInput(words.Counts([text])[0]).Sum(v => (double)v * v));
        Assert.Equal(1, Norm(unit, "storm"), 5);
        Assert.Equal(1, Norm(unit, texts[0]), 5);
        Assert.Equal(0, Norm(unit, "zebra"), 5); // no vocabulary word: the empty vector
        Assert.True(Norm(maxLog, "storm") < 0.5 * Norm(maxLog, texts[0]), "with MaxLogCount a one-word query is much shorter than a document");
    }

    /// <summary>
    /// Long documents and a few query words, the case where short queries used to collapse onto one code: with the
    /// default autoencoder and unit-length inputs, the codes alone rank a short query's topic first, and different queries
    /// get different documents.
    /// </summary>
    [Fact]
    public void With_long_documents_and_the_default_autoencoder_a_short_querys_code_alone_finds_its_topic()
    {
        string[][] topics =
        [
            ["rain", "storm", "forecast", "wind", "snow", "clouds", "flood", "thunder"],
            ["goal", "team", "league", "coach", "striker", "referee", "match", "stadium"],
            ["shares", "profit", "dividend", "investors", "stock", "earnings", "bonds", "bank"],
        ];
        var common = Enumerable.Range(0, 60).Select(i => "common" + (char)('a' + i % 26) + (char)('a' + i / 26)).ToArray();
        var random = new Random(6);
        var documents = Enumerable.Range(0, 90).Select(i => new Document
        {
            Id = i.ToString(System.Globalization.CultureInfo.InvariantCulture),
            Text = string.Join(' ', Enumerable.Range(0, 200).Select(j => j % 4 == 0 ? topics[i % 3][random.Next(8)] : common[random.Next(60)])),
            Labels = [(i % 3).ToString(System.Globalization.CultureInfo.InvariantCulture)],
        }).ToArray();
        using var index = DocumentSearchIndex.Build(new MLContext(seed: 1), documents, new DocumentSearchOptions { Words = new BagOfWordsOptions { VocabularySize = 100 }, Seed = 2 });
        var queries = Enumerable.Range(0, 12).Select(q => (Topic: q % 3, Text: string.Join(' ', topics[q % 3].OrderBy(_ => random.Next()).Take(3 + q % 4)))).ToArray();
        var results = index.Search(queries.Select(q => q.Text).ToArray(), 10, DocumentRanking.Codes);
        double precision = results.Select((hits, q) => hits.Count(h => h.Document.Labels[0] == queries[q].Topic.ToString(System.Globalization.CultureInfo.InvariantCulture)) / 10.0).Average();
        var sets = results.Select(hits => hits.Select(h => h.Row).ToArray()).ToArray();
        double overlap = sets.SelectMany((a, i) => sets.Skip(i + 1).Select(b => a.Intersect(b).Count() / (double)a.Union(b).Count())).Average();
        Assert.True(precision >= 0.8, $"codes precision@10 of short queries {precision:F2} (chance 0.33)");
        Assert.True(overlap < 0.3, $"top-10 overlap of two queries {overlap:F3}");
    }

    [Fact]
    public void Ranking_options_out_of_range_are_named()
    {
        Assert.Contains("'LexicalWeight'", Assert.Throws<ArgumentOutOfRangeException>(() =>
            DocumentSearchIndex.Build(new MLContext(), Corpus(), new DocumentSearchOptions { LexicalWeight = 1.5 })).Message);
        Assert.Contains("'Ranking'", Assert.Throws<ArgumentOutOfRangeException>(() =>
            DocumentSearchIndex.Build(new MLContext(), Corpus(), new DocumentSearchOptions { Ranking = (DocumentRanking)7 })).Message);
        Assert.Contains("'InputScaling'", Assert.Throws<ArgumentOutOfRangeException>(() =>
            BagOfWords.Fit(new MLContext(), ["some text"], new BagOfWordsOptions { InputScaling = (WordInputScaling)7 })).Message);
    }
}
