using Microsoft.ML.Autoencoders.Files;
using System.Text;
using Microsoft.ML.Data;

namespace Microsoft.ML.Autoencoders.Datasets;

/// <summary>One document of a <see cref="DocumentCollection"/>.</summary>
public sealed class Document
{
    /// <summary>The document's name: its path relative to the collection folder, or its row number in a table (1-based, header excluded).</summary>
    public string Id { get; set; } = "";

    /// <summary>The document's text.</summary>
    public string Text { get; set; } = "";

    /// <summary>Its labels (topics, classes); empty when the collection has none for it. Retrieval counts a hit as relevant when it shares one.</summary>
    public string[] Labels { get; set; } = [];
}

/// <summary>
/// Reads a collection of documents from a folder or a table, so that any corpus can go through the text → bag of words →
/// autoencoder → search path (<see cref="DocumentSearchIndex"/>):
/// <list type="bullet">
/// <item>a folder: one text file per document, labelled by the sub-folder it sits in (files at the root have no label); a
/// <c>labels.tsv</c> at the root (<c>relative/path&lt;TAB&gt;label1|label2</c> per line) gives documents several labels and
/// overrides the sub-folder of the files it lists;</item>
/// <item>a <c>.tsv</c> or <c>.csv</c> file with a header row: a text column and an optional label column (several labels
/// separated by <c>|</c>), read with ML.NET's TextLoader (quoted fields, also across lines).</item>
/// </list>
/// Every problem (missing folder or column, unreadable file, empty collection) throws naming the file or column.
/// </summary>
public static class DocumentCollection
{
    /// <summary>The optional multi-label file at the root of a folder collection.</summary>
    public const string LabelsFileName = "labels.tsv";

    /// <summary>Separates several labels in a label cell or a <see cref="LabelsFileName"/> line.</summary>
    public const char LabelSeparator = '|';

    /// <summary>A folder collection, or a .tsv/.csv table (with the default column names <c>Text</c> and <c>Label</c>), by what <paramref name="path"/> is.</summary>
    public static IReadOnlyList<Document> Read(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (Directory.Exists(path)) return ReadFolder(path);
        if (File.Exists(path)) return ReadTable(path);
        throw new FileNotFoundException($"Document collection '{Path.GetFullPath(path)}' is neither a folder nor a file.", path);
    }

    /// <summary>
    /// Every file under <paramref name="folder"/> (recursively, sorted by file name, then path — numbered files keep their
    /// order across label folders; hidden files and <see cref="LabelsFileName"/> excepted; a directory link back into the
    /// tree is not followed) read as UTF-8 text (a byte-order mark may select UTF-16 or UTF-32). A file that is not text —
    /// invalid UTF-8, or NUL characters (a binary file, or UTF-16 without a byte-order mark) — is refused by name. Labels:
    /// the sub-folder's name, or the labels <see cref="LabelsFileName"/> gives; its lines must name documents of the
    /// collection, each once.
    /// </summary>
    public static IReadOnlyList<Document> ReadFolder(string folder)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        var root = FolderWalk.RequireFolder(folder, "Document folder");
        var files = FolderWalk.RelativeFiles(root)
            .Where(r => r != LabelsFileName)
            .OrderBy(Path.GetFileName, StringComparer.Ordinal).ThenBy(r => r, StringComparer.Ordinal).ToArray();
        if (files.Length == 0) throw new InvalidDataException($"Document folder '{root}' holds no files.");
        var ids = files.Select(f => f.Replace(Path.DirectorySeparatorChar, '/')).ToArray();
        var labelsFile = Path.Combine(root, LabelsFileName);
        var listed = File.Exists(labelsFile) ? ReadLabelsFile(labelsFile, ids.ToHashSet(StringComparer.Ordinal)) : [];
        return files.Select((relative, i) =>
        {
            var path = Path.Combine(root, relative);
            var text = StrictText.Decode(File.ReadAllBytes(path), path);
            string? parent = Path.GetDirectoryName(relative);
            string[] labels = listed.TryGetValue(ids[i], out var given) ? given
                : string.IsNullOrEmpty(parent) ? [] : [parent.Replace(Path.DirectorySeparatorChar, '/')];
            return new Document { Id = ids[i], Text = text, Labels = labels };
        }).ToArray();
    }

    /// <summary>
    /// The rows of a table with a header row: <paramref name="textColumn"/> holds each document's text, the optional
    /// <paramref name="labelColumn"/> its labels (separated by <see cref="LabelSeparator"/>; the column may be absent when
    /// its name is the default). The separator is a tab for <c>.tsv</c> files and a comma otherwise, unless given. The file
    /// must be UTF-8 text (as folder collections): invalid bytes or NUL characters are refused, naming the line.
    /// </summary>
    public static IReadOnlyList<Document> ReadTable(string path, string textColumn = "Text", string? labelColumn = "Label", char? separator = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentException.ThrowIfNullOrEmpty(textColumn);
        var full = FolderWalk.RequireFile(path, "Document table");
        StrictText.Decode(File.ReadAllBytes(full), full); // TextLoader would turn bad bytes into U+FFFD silently
        char sep = separator ?? (full.EndsWith(".tsv", StringComparison.OrdinalIgnoreCase) ? '\t' : ',');
        using var firstLine = new StreamReader(full);
        var header = firstLine.ReadLine() ?? throw new InvalidDataException($"Document table '{full}' is empty (no header row).");
        var names = header.Split(sep).Select(n => n.Trim().Trim('"')).ToArray();
        int textIndex = Array.IndexOf(names, textColumn);
        if (textIndex < 0)
            throw new InvalidDataException($"Document table '{full}' has no column '{textColumn}' (its header row names: {string.Join(", ", names)}).");
        int labelIndex = labelColumn is null ? -1 : Array.IndexOf(names, labelColumn);
        if (labelColumn is not null && labelIndex < 0 && labelColumn != "Label")
            throw new InvalidDataException($"Document table '{full}' has no label column '{labelColumn}' (its header row names: {string.Join(", ", names)}).");
        firstLine.Dispose();

        var columns = new List<TextLoader.Column> { new("Text", DataKind.String, textIndex) };
        if (labelIndex >= 0) columns.Add(new TextLoader.Column("Label", DataKind.String, labelIndex));
        var loader = new MLContext().Data.CreateTextLoader(new TextLoader.Options
        {
            Columns = [.. columns], HasHeader = true, Separators = [sep], AllowQuoting = true, ReadMultilines = true, TrimWhitespace = false,
        });
        var view = loader.Load(full);
        var texts = view.GetColumn<ReadOnlyMemory<char>>("Text").Select(t => t.ToString()).ToArray();
        var labels = labelIndex >= 0 ? view.GetColumn<ReadOnlyMemory<char>>("Label").Select(l => SplitLabels(l.ToString())).ToArray() : null;
        if (texts.Length == 0) throw new InvalidDataException($"Document table '{full}' has a header row but no documents.");
        return texts.Select((text, i) => new Document { Id = (i + 1).ToString(), Text = text, Labels = labels?[i] ?? [] }).ToArray();
    }

    /// <summary>
    /// Writes <paramref name="documents"/> as a folder collection that <see cref="ReadFolder"/> reads back with the same texts and
    /// labels (ids become the files' relative paths): each under
    /// its first label's sub-folder (unlabelled ones at the root), named after its <see cref="Document.Id"/>, and a
    /// <see cref="LabelsFileName"/> for documents with several labels. The folder must be empty or absent (nothing is overwritten).
    /// </summary>
    public static void WriteFolder(IEnumerable<Document> documents, string folder)
    {
        ArgumentNullException.ThrowIfNull(documents);
        var root = Path.GetFullPath(folder);
        if (Directory.Exists(root) && Directory.EnumerateFileSystemEntries(root).Any())
            throw new IOException($"Folder '{root}' is not empty; a collection is written only into an empty or new folder.");
        Directory.CreateDirectory(root);
        var labelLines = new List<string>();
        foreach (var document in documents)
        {
            if (document.Labels.Any(l => l.Length == 0 || l.Contains(LabelSeparator) || l.Contains('\t') || l.Contains('\n') || l.StartsWith('.') || l.Contains("..")))
                throw new ArgumentException($"Document '{document.Id}' has a label that cannot be a folder or labels-file entry: '{string.Join("', '", document.Labels)}'.", nameof(documents));
            var name = SafeFileName(document.Id);
            var relative = document.Labels.Length == 0 ? name : document.Labels[0] + "/" + name;
            var path = Path.Combine(root, relative.Replace('/', Path.DirectorySeparatorChar));
            if (File.Exists(path)) throw new ArgumentException($"Two documents would be written to '{path}' (ids must be unique).", nameof(documents));
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, document.Text, new UTF8Encoding(false));
            if (document.Labels.Length > 1) labelLines.Add(relative + "\t" + string.Join(LabelSeparator, document.Labels));
        }
        if (labelLines.Count > 0) File.WriteAllLines(Path.Combine(root, LabelsFileName), labelLines);
    }

    /// <summary>The labels file's entries; each must name one of the collection's documents (<paramref name="documents"/>), once.</summary>
    private static Dictionary<string, string[]> ReadLabelsFile(string path, HashSet<string> documents)
    {
        var result = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var lineOf = new Dictionary<string, int>(StringComparer.Ordinal);
        var lines = StrictText.Decode(File.ReadAllBytes(path), path).Split('\n');
        for (int number = 1; number <= lines.Length; number++)
        {
            var line = lines[number - 1].TrimEnd('\r');
            if (line.Length == 0) continue;
            var parts = line.Split('\t');
            if (parts.Length != 2 || parts[0].Length == 0)
                throw new InvalidDataException($"'{path}' line {number}: expected 'relative/path<TAB>label1{LabelSeparator}label2', got '{line}'.");
            var id = parts[0].Replace('\\', '/');
            if (!documents.Contains(id))
                throw new InvalidDataException($"'{path}' line {number} lists '{parts[0]}', which is not a document of the collection " +
                    "(entries are paths relative to the collection folder, of files inside it that are not hidden).");
            if (lineOf.TryGetValue(id, out int first))
                throw new InvalidDataException($"'{path}' lists '{id}' twice (lines {first} and {number}): give each document one line, with all its labels.");
            lineOf[id] = number;
            result[id] = SplitLabels(parts[1]);
        }
        return result;
    }

    private static string[] SplitLabels(string cell) =>
        cell.Split(LabelSeparator, StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);

    private static string SafeFileName(string id)
    {
        var invalid = Path.GetInvalidFileNameChars();
        var name = new string(id.Select(c => invalid.Contains(c) || c == '/' || c == '\\' ? '_' : c).ToArray());
        if (name.Length == 0 || name.StartsWith('.')) name = "_" + name;
        return name.EndsWith(".txt", StringComparison.OrdinalIgnoreCase) ? name : name + ".txt";
    }
}
