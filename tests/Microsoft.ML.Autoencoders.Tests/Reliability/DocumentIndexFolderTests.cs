using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Microsoft.ML.Autoencoders.Datasets;

namespace Microsoft.ML.Autoencoders.Tests.Reliability;

/// <summary>
/// A saved <see cref="DocumentSearchIndex"/> folder is loaded only when its parts are the ones saved together: each is
/// checked against the manifest's SHA-256, and the parts against each other (so that a manifest rewritten to match still
/// cannot pair a vocabulary, a text model and an autoencoder that do not belong together). The file at fault is named.
/// </summary>
public sealed class DocumentIndexFolderTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("ae-index-folder-");

    public void Dispose() => _dir.Delete(recursive: true);

    internal static IReadOnlyList<Document> Documents(int count, int seed, int vocabulary = 12)
    {
        var random = new Random(seed);
        var words = Enumerable.Range(0, vocabulary).Select(i => "word" + (char)('a' + i)).ToArray();
        return Enumerable.Range(0, count).Select(i => new Document
        {
            Id = i.ToString(CultureInfo.InvariantCulture), Text = string.Join(' ', Enumerable.Range(0, 8).Select(_ => words[random.Next(words.Length)])),
        }).ToArray();
    }

    internal static string SavedIndex(string folder, int seed = 1, int vocabulary = 12, int codeSize = 3)
    {
        using var index = DocumentSearchIndex.Build(new MLContext(seed: 1), Documents(40, seed, vocabulary), new DocumentSearchOptions
        {
            Autoencoder = new AutoencoderOptions { EncoderLayers = [8], CodeSize = codeSize, Epochs = 1, CacheInMemory = true },
        });
        index.Save(folder);
        return folder;
    }

    private string Saved(int seed = 1, int vocabulary = 12, int codeSize = 3) =>
        SavedIndex(Path.Combine(_dir.FullName, Guid.NewGuid().ToString("N")), seed, vocabulary, codeSize);

    /// <summary>Rewrites the manifest so that it matches the files as they now are (what a careful forger would do).</summary>
    private static void Rehash(string folder)
    {
        var path = Path.Combine(folder, DocumentSearchIndex.ManifestFile);
        var manifest = JsonNode.Parse(File.ReadAllText(path))!;
        foreach (var (name, _) in manifest["Files"]!.AsObject().ToArray())
            manifest["Files"]![name] = Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(Path.Combine(folder, name))));
        File.WriteAllText(path, manifest.ToJsonString());
    }

    private static InvalidDataException Refused(string folder) =>
        Assert.Throws<InvalidDataException>(() => DocumentSearchIndex.Load(new MLContext(), folder));

    [Fact]
    public void An_intact_folder_loads_and_answers_as_saved()
    {
        var folder = Saved();
        using var loaded = DocumentSearchIndex.Load(new MLContext(), folder);
        Assert.Equal(40, loaded.Documents.Count);
        Assert.Equal(3, loaded.Search("worda wordb", 3).Count);
    }

    [Fact]
    public void A_word_removed_from_the_vocabulary_is_named_and_also_when_the_manifest_was_rewritten()
    {
        var folder = Saved();
        var vocabulary = Path.Combine(folder, BagOfWords.VocabularyFile);
        File.WriteAllLines(vocabulary, File.ReadAllLines(vocabulary).Where((_, i) => i != 3));
        Assert.Contains(vocabulary, Refused(folder).Message);
        Rehash(folder);
        Assert.Contains(vocabulary, Refused(folder).Message);
    }

    [Fact]
    public void A_scale_line_changed_is_named()
    {
        var folder = Saved();
        var vocabulary = Path.Combine(folder, BagOfWords.VocabularyFile);
        var lines = File.ReadAllLines(vocabulary);
        var header = lines[0].Split(' '); // the scale, then the scaling's tag when it is not the plain one
        header[0] = (float.Parse(header[0], CultureInfo.InvariantCulture) * 40).ToString("R", CultureInfo.InvariantCulture);
        lines[0] = string.Join(' ', header);
        File.WriteAllLines(vocabulary, lines);
        Assert.Contains(vocabulary, Refused(folder).Message);
    }

    [Fact]
    public void Text_features_from_another_index_are_named_and_also_when_the_manifest_was_rewritten()
    {
        var folder = Saved();
        var other = Saved(seed: 2, vocabulary: 20);
        var features = Path.Combine(folder, BagOfWords.ModelFile);
        File.Copy(Path.Combine(other, BagOfWords.ModelFile), features, overwrite: true);
        Assert.Contains(features, Refused(folder).Message);
        Rehash(folder);
        var e = Refused(folder);
        Assert.Contains(folder, e.Message);
        Assert.Contains("different", e.Message);
    }

    [Fact]
    public void Codes_from_an_index_with_another_code_size_are_named_even_with_a_rewritten_manifest()
    {
        var folder = Saved();
        var other = Saved(codeSize: 4);
        var codes = Path.Combine(folder, DocumentSearchIndex.IndexFile);
        File.Copy(Path.Combine(other, DocumentSearchIndex.IndexFile), codes, overwrite: true);
        Rehash(folder);
        Assert.Contains(codes, Refused(folder).Message);
    }

    [Fact]
    public void A_folder_without_its_manifest_is_named()
    {
        var folder = Saved();
        File.Delete(Path.Combine(folder, DocumentSearchIndex.ManifestFile));
        var e = Assert.Throws<FileNotFoundException>(() => DocumentSearchIndex.Load(new MLContext(), folder));
        Assert.Contains(DocumentSearchIndex.ManifestFile, e.Message);
    }
}
