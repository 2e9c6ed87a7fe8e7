using Microsoft.ML.Autoencoders.Files;
using System.IO.Compression;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;

namespace Microsoft.ML.Autoencoders.Datasets;

/// <summary>One Reuters-21578 story.</summary>
public sealed class ReutersDocument
{
    /// <summary>The story's NEWID (1 … 21578).</summary>
    public int Id { get; set; }

    /// <summary>Headline; empty when the story has none.</summary>
    public string Title { get; set; } = "";

    /// <summary>Story text; empty when the story has none.</summary>
    public string Body { get; set; } = "";

    /// <summary>TOPICS categories (e.g. "crude", "earn"); may be empty.</summary>
    public string[] Topics { get; set; } = [];

    /// <summary>LEWISSPLIT attribute: TRAIN, TEST or NOT-USED.</summary>
    public string LewisSplit { get; set; } = "";

    /// <summary>TOPICS attribute: true when the indexers checked the story for topics (TOPICS="YES").</summary>
    public bool TopicsChecked { get; set; }

    /// <summary>Title and body, as the text to featurize.</summary>
    public string Text => Title.Length == 0 ? Body : Title + ".\n" + Body;

    /// <summary>The story as a <see cref="Document"/> of a collection: id NEWID, text <see cref="Text"/>, labels the topics.</summary>
    public Document ToDocument() => new() { Id = Id.ToString(System.Globalization.CultureInfo.InvariantCulture), Text = Text, Labels = [.. Topics] };
}

/// <summary>Which half of the ModApte split.</summary>
public enum ReutersSplit
{
    /// <summary>LEWISSPLIT="TRAIN".</summary>
    Train,
    /// <summary>LEWISSPLIT="TEST".</summary>
    Test,
}

/// <summary>
/// Reads the Reuters-21578 SGML files (<c>reut2-000.sgm</c> … <c>reut2-021.sgm</c>, gzipped or not, Latin-1; not valid
/// XML, so parsed record by record) and gives the ModApte split: LEWISSPLIT TRAIN / TEST, TOPICS="YES", at least one topic.
/// </summary>
public static class Reuters
{
    /// <summary>Number of SGML files in the distribution.</summary>
    public const int FileCount = 22;

    /// <summary>Stories in the distribution.</summary>
    public const int DocumentCount = 21578;

    private static readonly Encoding Latin1 = Encoding.Latin1;
    private static readonly Regex Record = new(@"<REUTERS\b(?<attrs>[^>]*)>(?<body>.*?)</REUTERS>", RegexOptions.Singleline | RegexOptions.Compiled);
    private static readonly Regex Attribute = new(@"(?<name>[A-Z]+)=""(?<value>[^""]*)""", RegexOptions.Compiled);
    private static readonly Regex Topic = new(@"<D>(?<t>.*?)</D>", RegexOptions.Singleline | RegexOptions.Compiled);

    /// <summary>The file names (without <c>.gz</c>) of the distribution.</summary>
    public static IEnumerable<string> FileNames => Enumerable.Range(0, FileCount).Select(i => $"reut2-{i:D3}.sgm");

    /// <summary>Every story of the distribution in <paramref name="directory"/>, in file and record order.</summary>
    public static IReadOnlyList<ReutersDocument> ReadDocuments(string directory)
    {
        var documents = new List<ReutersDocument>(DocumentCount);
        foreach (var name in FileNames) documents.AddRange(ReadFile(Locate(directory, name)));
        return documents;
    }

    /// <summary>The ModApte documents of <paramref name="split"/> that have at least one topic.</summary>
    public static IReadOnlyList<ReutersDocument> ReadModApte(string directory, ReutersSplit split) =>
        ReadDocuments(directory).Where(d => InModApte(d, split)).ToArray();

    /// <summary>True when <paramref name="document"/> belongs to <paramref name="split"/> of ModApte (LEWISSPLIT, TOPICS="YES", at least one topic); filter <see cref="ReadDocuments"/> with it to read the files once for both halves.</summary>
    public static bool InModApte(ReutersDocument document, ReutersSplit split)
    {
        ArgumentNullException.ThrowIfNull(document);
        return document.TopicsChecked && document.Topics.Length > 0 && document.LewisSplit == (split == ReutersSplit.Train ? "TRAIN" : "TEST");
    }

    /// <summary>The ModApte documents of <paramref name="split"/> as an IDataView (Id, Title, Body, Topics, LewisSplit, TopicsChecked).</summary>
    public static IDataView LoadModApte(MLContext mlContext, string directory, ReutersSplit split)
    {
        ArgumentNullException.ThrowIfNull(mlContext);
        return mlContext.Data.LoadFromEnumerable(ReadModApte(directory, split));
    }

    /// <summary>Parses one SGML file (gzipped when its name ends in .gz); a file with no records or a broken record throws naming it.</summary>
    public static IReadOnlyList<ReutersDocument> ReadFile(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        FolderWalk.RequireFile(path, "Reuters file");
        string text;
        try
        {
            using var stream = File.OpenRead(path);
            using var input = path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? new GZipStream(stream, CompressionMode.Decompress) : (Stream)stream;
            using var reader = new StreamReader(input, Latin1);
            text = reader.ReadToEnd();
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"'{path}' is not a readable gzip file: {e.Message}", e);
        }
        var documents = new List<ReutersDocument>();
        foreach (Match m in Record.Matches(text))
        {
            var attributes = Attribute.Matches(m.Groups["attrs"].Value).ToDictionary(a => a.Groups["name"].Value, a => a.Groups["value"].Value);
            if (!attributes.TryGetValue("NEWID", out var id) || !int.TryParse(id, out var newId))
                throw new InvalidDataException($"'{path}': a <REUTERS> record has no NEWID attribute (record at character {m.Index}).");
            var body = m.Groups["body"].Value;
            documents.Add(new ReutersDocument
            {
                Id = newId,
                Title = Clean(Element(body, "TITLE")),
                Body = Clean(Element(body, "BODY")),
                Topics = Topic.Matches(Element(body, "TOPICS")).Select(t => t.Groups["t"].Value.Trim()).Where(t => t.Length > 0).ToArray(),
                LewisSplit = attributes.GetValueOrDefault("LEWISSPLIT", ""),
                TopicsChecked = attributes.GetValueOrDefault("TOPICS") == "YES",
            });
        }
        int opened = Regex.Matches(text, "<REUTERS\\b").Count;
        if (opened == 0 || opened != documents.Count)
            throw new InvalidDataException($"'{path}' is not a complete Reuters-21578 SGML file: {opened} <REUTERS> records open, {documents.Count} complete (truncated or corrupt).");
        CheckDistributionFile(path, documents);
        return documents;
    }

    /// <summary>
    /// A file named like one of the distribution's (<c>reut2-NNN.sgm</c>) must hold that file's stories: NEWIDs
    /// NNN·1000 + 1 onwards, 1000 of them (578 in the last file). A file cut cleanly between two records passes every
    /// other check, so this is what tells it from the original.
    /// </summary>
    private static void CheckDistributionFile(string path, List<ReutersDocument> documents)
    {
        var match = DistributionName.Match(Path.GetFileName(path));
        if (!match.Success) return;
        int number = int.Parse(match.Groups["n"].Value);
        if (number >= FileCount) return;
        int first = number * 1000 + 1, expected = Math.Min(1000, DocumentCount - number * 1000);
        bool inOrder = documents.Select((d, i) => d.Id == first + i).All(ok => ok);
        if (documents.Count != expected || !inOrder)
            throw new InvalidDataException(
                $"'{path}' holds {documents.Count} stories (NEWID {documents[0].Id}–{documents[^1].Id}); Reuters-21578's {match.Value} holds {expected} " +
                $"(NEWID {first}–{first + expected - 1}): the file is truncated or not the original.");
    }

    private static readonly Regex DistributionName = new(@"^reut2-(?<n>\d{3})\.sgm", RegexOptions.Compiled);

    /// <summary>The path of <paramref name="name"/> or <paramref name="name"/>.gz in <paramref name="directory"/>.</summary>
    internal static string Locate(string directory, string name)
    {
        foreach (var candidate in new[] { Path.Combine(directory, name), Path.Combine(directory, name + ".gz") })
            if (File.Exists(candidate)) return candidate;
        throw new FileNotFoundException($"Reuters-21578 file '{name}' (or '{name}.gz') not found in '{directory}'.", Path.Combine(directory, name));
    }

    private static string Element(string record, string tag)
    {
        int start = record.IndexOf($"<{tag}>", StringComparison.Ordinal);
        if (start < 0) return "";
        start += tag.Length + 2;
        int end = record.IndexOf($"</{tag}>", start, StringComparison.Ordinal);
        return end < 0 ? record[start..] : record[start..end];
    }

    // SGML character references (&lt; &#3; ...) and the control characters the wire format left in the text.
    private static string Clean(string s) =>
        new string(WebUtility.HtmlDecode(s).Where(c => c == '\n' || !char.IsControl(c)).ToArray()).Replace("\n Reuter", "").Trim();
}
