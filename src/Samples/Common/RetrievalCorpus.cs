using Microsoft.ML.Autoencoders.Datasets;

namespace AutoencoderSamples.Common;

/// <summary>
/// A document collection split for a retrieval experiment: the stories the autoencoder learns from (no query among
/// them), the labelled database it indexes, and the labelled queries. Reuters-21578 (ModApte) is one source; any
/// folder or table collection (<see cref="DocumentCollection"/>) is another.
/// </summary>
/// <param name="FreeTextQueries">
/// What a user would type to find each query document: its title on Reuters, its first sentence in any other collection
/// (<see cref="FirstSentence"/>); empty where the document has none.
/// </param>
internal sealed record RetrievalCorpus(string Name, string Description, Document[] Stories, Document[] Database, Document[] Queries, string[] FreeTextQueries)
{
    /// <summary>What <see cref="FreeTextQueries"/> are, for reports.</summary>
    public string FreeTextKind => Name.StartsWith("Reuters", StringComparison.Ordinal) ? "title" : "first sentence";

    /// <summary>The first sentence of <paramref name="text"/> (up to '.', '!' or '?' before a space, or the first line), at most 30 words.</summary>
    public static string FirstSentence(string text)
    {
        var trimmed = text.TrimStart();
        int end = trimmed.Length;
        for (int i = 0; i < trimmed.Length; i++)
        {
            if (trimmed[i] == '\n' || (trimmed[i] is '.' or '!' or '?' && (i + 1 == trimmed.Length || char.IsWhiteSpace(trimmed[i + 1]))))
            {
                end = i;
                break;
            }
        }
        return string.Join(' ', trimmed[..end].Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Take(30));
    }

    /// <summary>Top-level sub-folders of a folder collection that fix the split (labels are read below them).</summary>
    public const string TrainFolder = "train", TestFolder = "test";

    /// <summary>True when the collection has labels, so precision can be measured.</summary>
    public bool Labelled => Database.Any(d => d.Labels.Length > 0) && Queries.Any(d => d.Labels.Length > 0);

    /// <summary>
    /// Reuters-21578 ModApte: database = training documents with topics, queries = test documents with topics; the
    /// autoencoder reads every story outside the test set (LEWISSPLIT TRAIN or NOT-USED, with or without topics).
    /// </summary>
    public static RetrievalCorpus Reuters(IReadOnlyList<ReutersDocument> documents, int? trainLimit, int? testLimit)
    {
        var train = documents.Where(d => Microsoft.ML.Autoencoders.Datasets.Reuters.InModApte(d, ReutersSplit.Train)).Take(trainLimit ?? int.MaxValue).Select(d => d.ToDocument()).ToArray();
        var testStories = documents.Where(d => Microsoft.ML.Autoencoders.Datasets.Reuters.InModApte(d, ReutersSplit.Test)).Take(testLimit ?? int.MaxValue).ToArray();
        var test = testStories.Select(d => d.ToDocument()).ToArray();
        var stories = documents.Where(d => d.LewisSplit != "TEST").Take(trainLimit ?? int.MaxValue).Select(d => d.ToDocument()).ToArray();
        return new RetrievalCorpus("Reuters-21578 ModApte",
            "ModApte split: training and test documents with at least one topic; the autoencoder learns from every story outside the test set " +
            "(LEWISSPLIT TRAIN or NOT-USED, with or without topics)", stories, train, test, testStories.Select(d => d.Title.Trim()).ToArray());
    }

    /// <summary>
    /// Writes Reuters as a folder collection that <see cref="FromCollection"/> splits exactly as <see cref="Reuters"/> does:
    /// <c>train/&lt;topic&gt;/</c> and <c>test/&lt;topic&gt;/</c> for the ModApte documents (a <c>labels.tsv</c> for several
    /// topics), <c>train/</c> itself for the other stories outside the test set; files numbered in the distribution's order.
    /// </summary>
    public static int ExportReuters(IReadOnlyList<ReutersDocument> documents, string folder)
    {
        var exported = new List<Document>();
        for (int i = 0; i < documents.Count; i++)
        {
            var d = documents[i];
            string? part = Microsoft.ML.Autoencoders.Datasets.Reuters.InModApte(d, ReutersSplit.Train) ? TrainFolder
                : Microsoft.ML.Autoencoders.Datasets.Reuters.InModApte(d, ReutersSplit.Test) ? TestFolder
                : d.LewisSplit != "TEST" ? "" : null;
            if (part is null) continue;
            exported.Add(new Document
            {
                Id = $"{i:D5}-{d.Id}",
                Text = d.Text,
                Labels = part.Length == 0 ? [TrainFolder] : d.Topics.Select(t => $"{part}/{t}").ToArray(),
            });
        }
        DocumentCollection.WriteFolder(exported, folder);
        return exported.Count;
    }

    /// <summary>
    /// Any collection: a folder with <c>train/</c> and <c>test/</c> sub-folders is split by them (documents directly in
    /// <c>train/</c> are unlabelled training stories); otherwise a seeded random <paramref name="testFraction"/> of the
    /// documents are queries. Labelled training documents form the database; without any labels all training documents do.
    /// </summary>
    public static RetrievalCorpus FromCollection(string path, string textColumn, string labelColumn, double testFraction, int seed, int? trainLimit, int? testLimit)
    {
        var documents = Directory.Exists(path) ? DocumentCollection.ReadFolder(path) : DocumentCollection.ReadTable(path, textColumn, labelColumn);
        bool presplit = Directory.Exists(Path.Combine(path, TrainFolder)) && Directory.Exists(Path.Combine(path, TestFolder));
        Document[] train, test;
        string how;
        if (presplit)
        {
            Document[] Part(string name) => documents.Where(d => d.Id.StartsWith(name + "/", StringComparison.Ordinal))
                .Select(d => new Document { Id = d.Id, Text = d.Text, Labels = d.Labels.Where(l => l != name).Select(l => l.StartsWith(name + "/", StringComparison.Ordinal) ? l[(name.Length + 1)..] : l).ToArray() })
                .ToArray();
            (train, test) = (Part(TrainFolder), Part(TestFolder));
            how = $"split by its {TrainFolder}/ and {TestFolder}/ folders";
        }
        else
        {
            var random = new Random(seed);
            var isTest = documents.Select(_ => random.NextDouble() < testFraction).ToArray();
            train = documents.Where((_, i) => !isTest[i]).ToArray();
            test = documents.Where((_, i) => isTest[i]).ToArray();
            how = $"a random {testFraction:P0} of the documents as queries (seed {seed})";
        }
        if (train.Length == 0 || test.Length == 0)
            throw new InvalidDataException($"'{path}': {how} leaves {train.Length} training and {test.Length} query documents; both must be non-empty.");
        bool labelled = documents.Any(d => d.Labels.Length > 0);
        var database = (labelled ? train.Where(d => d.Labels.Length > 0) : train).Take(trainLimit ?? int.MaxValue).ToArray();
        var queries = (labelled ? test.Where(d => d.Labels.Length > 0) : test).Take(testLimit ?? int.MaxValue).ToArray();
        var stories = train.Take(trainLimit ?? int.MaxValue).ToArray();
        return new RetrievalCorpus(Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(path))),
            $"collection {Path.GetFullPath(path)}, {how}; labelled training documents form the database, labelled test documents are the queries, " +
            "and the autoencoder learns from all training documents", stories, database, queries, queries.Select(d => FirstSentence(d.Text)).ToArray());
    }
}
