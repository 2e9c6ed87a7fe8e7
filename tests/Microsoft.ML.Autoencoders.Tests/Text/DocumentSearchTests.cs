using Microsoft.ML.Autoencoders.Datasets;

namespace Microsoft.ML.Autoencoders.Tests.Text;

/// <summary>Bring-your-own corpus: folder and table collections, and the text → words → autoencoder → index path over them.</summary>
public sealed class DocumentSearchTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "docs-" + Guid.NewGuid().ToString("N"));

    private static readonly Dictionary<string, string[]> TopicWords = new()
    {
        ["sport"] = ["match", "goal", "team", "league", "coach", "season", "striker", "stadium", "referee", "cup"],
        ["markets"] = ["shares", "profit", "dividend", "investors", "stock", "earnings", "bank", "bonds", "quarter", "revenue"],
        ["weather"] = ["rain", "storm", "forecast", "temperature", "wind", "snow", "clouds", "sunshine", "flood", "humidity"],
    };

    private static readonly string[] Common = ["today", "report", "people", "city", "week", "said", "new", "year", "time", "local"];

    /// <summary>Documents of 12 words: 7 from their topic, 5 common ones.</summary>
    private static List<Document> Generate(int perTopic, int seed)
    {
        var random = new Random(seed);
        var documents = new List<Document>();
        int id = 0;
        for (int i = 0; i < perTopic; i++)
            foreach (var (topic, words) in TopicWords)
            {
                var text = Enumerable.Range(0, 12).Select(j => j < 7 ? words[random.Next(words.Length)] : Common[random.Next(Common.Length)]).OrderBy(_ => random.Next());
                documents.Add(new Document { Id = $"{id++:D4}", Text = string.Join(' ', text) + ".", Labels = [topic] });
            }
        return documents;
    }

    private static DocumentSearchOptions SmallOptions() => new()
    {
        Words = new BagOfWordsOptions { VocabularySize = 100 },
        Autoencoder = new AutoencoderOptions { EncoderLayers = [32], CodeSize = 4, Epochs = 40, BatchSize = 16, LearningRate = 3e-3, Seed = 5, CacheInMemory = true },
    };

    private static double PrecisionAt(DocumentSearchIndex index, IReadOnlyList<Document> queries, int k) =>
        index.Search(queries.Select(q => q.Text).ToArray(), k)
            .Select((hits, q) => hits.Count(h => h.Document.Labels.Intersect(queries[q].Labels).Any()) / (double)k).Average();

    [Fact]
    public void A_folder_corpus_is_read_with_labels_and_multi_labels_and_searched_by_topic()
    {
        var documents = Generate(40, seed: 1);
        documents[0].Labels = ["sport", "markets"]; // one document with two labels, through labels.tsv
        DocumentCollection.WriteFolder(documents, _root);
        Assert.True(File.Exists(Path.Combine(_root, DocumentCollection.LabelsFileName)));

        var read = DocumentCollection.Read(_root);
        Assert.Equal(documents.Count, read.Count);
        // Sorted by file name, the folder gives the documents back in their original order, with their labels.
        Assert.Equal(documents.Select(d => d.Text), read.Select(d => d.Text));
        Assert.Equal(documents.Select(d => string.Join('|', d.Labels)), read.Select(d => string.Join('|', d.Labels)));

        var ml = new MLContext(seed: 1);
        using var index = DocumentSearchIndex.Build(ml, read, SmallOptions());
        var queries = Generate(10, seed: 2);
        double precision = PrecisionAt(index, queries, 5);
        Assert.True(precision > 0.8, $"precision@5 {precision:F2} (chance: 0.33)");
        Assert.False(index.HasKnownWords("zebra quantum"));
        Assert.True(index.HasKnownWords("storm over the stadium"));

        // Saved and loaded: the same answers.
        var saved = Path.Combine(_root + "-index");
        try
        {
            index.Save(saved);
            using var loaded = DocumentSearchIndex.Load(new MLContext(), saved);
            var before = index.Search("heavy rain and wind in the forecast", 5);
            var after = loaded.Search("heavy rain and wind in the forecast", 5);
            Assert.Equal(before.Select(h => h.Row), after.Select(h => h.Row));
            Assert.All(before.Zip(after), p => Assert.Equal(p.First.Distance, p.Second.Distance, 1e-5f));
            Assert.All(after, h => Assert.Contains("weather", h.Document.Labels));
        }
        finally
        {
            if (Directory.Exists(saved)) Directory.Delete(saved, recursive: true);
        }
    }

    [Fact]
    public void A_short_query_of_one_topics_own_words_returns_that_topics_documents_first()
    {
        var documents = Generate(40, seed: 1);
        using var index = DocumentSearchIndex.Build(new MLContext(seed: 1), documents, SmallOptions());
        Assert.Equal(DocumentRanking.Hybrid, index.Ranking);
        var random = new Random(9);
        var topResults = new List<int[]>();
        foreach (var (topic, words) in TopicWords)
            for (int length = 3; length <= 6; length++)
            {
                var query = string.Join(' ', words.OrderBy(_ => random.Next()).Take(length)); // words only this topic's documents use
                var hits = index.Search(query, 10);
                Assert.Equal(10, hits.Count);
                Assert.All(hits, h => Assert.Equal([topic], h.Document.Labels));
                topResults.Add(hits.Select(h => h.Row).ToArray());
            }
        // The ranking depends on the query: two different queries share few of their top 10, even within one topic.
        double overlap = topResults.SelectMany((a, i) => topResults.Skip(i + 1).Select(b => a.Intersect(b).Count() / (double)a.Union(b).Count())).Average();
        Assert.True(overlap < 0.3, $"mean top-10 overlap of two queries {overlap:F3}");
    }

    [Fact]
    public void A_table_corpus_reads_quoted_multi_line_texts_and_label_lists()
    {
        Directory.CreateDirectory(_root);
        var documents = Generate(30, seed: 3);
        var tsv = Path.Combine(_root, "corpus.tsv");
        File.WriteAllLines(tsv, ["Title\tBody\tTopics", .. documents.Select((d, i) => $"t{i}\t\"{(i == 0 ? "first line\nsecond line" : d.Text)}\"\t{string.Join('|', d.Labels)}{(i == 1 ? "|extra" : "")}")]);
        var read = DocumentCollection.ReadTable(tsv, textColumn: "Body", labelColumn: "Topics");
        Assert.Equal(documents.Count, read.Count);
        Assert.Equal("first line\nsecond line", read[0].Text);
        Assert.Equal([.. documents[1].Labels, "extra"], read[1].Labels);
        Assert.Equal(documents.Skip(2).Select(d => d.Text), read.Skip(2).Select(d => d.Text));

        var ml = new MLContext(seed: 1);
        using var index = DocumentSearchIndex.Build(ml, read, SmallOptions());
        double precision = PrecisionAt(index, Generate(10, seed: 4), 5);
        Assert.True(precision > 0.8, $"precision@5 {precision:F2} (chance: 0.33)");

        // A CSV without labels: documents without labels.
        var csv = Path.Combine(_root, "plain.csv");
        File.WriteAllLines(csv, ["Text", "\"one, two\"", "three"]);
        var plain = DocumentCollection.Read(csv);
        Assert.Equal(["one, two", "three"], plain.Select(d => d.Text));
        Assert.All(plain, d => Assert.Empty(d.Labels));
    }

    [Fact]
    public void Bad_collections_are_named()
    {
        Directory.CreateDirectory(_root);
        var tsv = Path.Combine(_root, "corpus.tsv");
        File.WriteAllLines(tsv, ["Body\tTopics", "some text\tsport"]);
        var noColumn = Assert.Throws<InvalidDataException>(() => DocumentCollection.ReadTable(tsv));
        Assert.Contains("no column 'Text'", noColumn.Message);
        Assert.Contains("Body, Topics", noColumn.Message);
        var noLabel = Assert.Throws<InvalidDataException>(() => DocumentCollection.ReadTable(tsv, "Body", "Label2"));
        Assert.Contains("'Label2'", noLabel.Message);

        var folder = Path.Combine(_root, "docs");
        Directory.CreateDirectory(Path.Combine(folder, "a"));
        File.WriteAllText(Path.Combine(folder, "a", "1.txt"), "hello");
        File.WriteAllLines(Path.Combine(folder, DocumentCollection.LabelsFileName), ["a/2.txt\tx|y"]);
        var unlisted = Assert.Throws<InvalidDataException>(() => DocumentCollection.ReadFolder(folder));
        Assert.Contains("a/2.txt", unlisted.Message);
        File.Delete(Path.Combine(folder, DocumentCollection.LabelsFileName));
        File.WriteAllBytes(Path.Combine(folder, "a", "2.txt"), [0x66, 0xff, 0xfe, 0x00]);
        var binary = Assert.Throws<InvalidDataException>(() => DocumentCollection.ReadFolder(folder));
        Assert.Contains("2.txt", binary.Message);
        Assert.Contains("not UTF-8", binary.Message);

        Assert.Throws<FileNotFoundException>(() => DocumentCollection.Read(Path.Combine(_root, "nowhere")));
        var notEmpty = Assert.Throws<IOException>(() => DocumentCollection.WriteFolder(Generate(1, 1), folder));
        Assert.Contains("not empty", notEmpty.Message);
        var supervised = Assert.Throws<ArgumentException>(() => DocumentSearchIndex.Build(new MLContext(), Generate(2, 1),
            new DocumentSearchOptions { Autoencoder = new StackedPretrainerOptions() }));
        Assert.Contains("FineTuning", supervised.Message);
        var notIndex = Assert.Throws<FileNotFoundException>(() => DocumentSearchIndex.Load(new MLContext(), folder));
        Assert.Contains("not a saved document index", notIndex.Message);
    }

    public void Dispose()
    {
        if (Directory.Exists(_root)) Directory.Delete(_root, recursive: true);
    }
}
