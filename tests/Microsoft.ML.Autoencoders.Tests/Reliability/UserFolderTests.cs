using System.Text;
using Microsoft.ML.Autoencoders.Datasets;
using Microsoft.ML.Autoencoders.Tests.Infrastructure;

namespace Microsoft.ML.Autoencoders.Tests.Reliability;

/// <summary>
/// What users point the readers at: folders and tables of documents, folders of images. Content that is not text, label
/// lines that name no document of the collection (or one twice), link loops, and a file where a folder belongs (or the
/// reverse) are each refused — or, for loops, walked once — with the file named.
/// </summary>
public sealed class UserFolderTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("ae-user-folders-");

    public void Dispose() => _dir.Delete(recursive: true);

    private string Collection(params (string Path, byte[] Bytes)[] files)
    {
        var root = _dir.CreateSubdirectory(Guid.NewGuid().ToString("N")).FullName;
        foreach (var (path, bytes) in files)
        {
            var full = Path.Combine(root, path);
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            File.WriteAllBytes(full, bytes);
        }
        return root;
    }

    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    [Fact]
    public void A_file_of_NUL_bytes_or_UTF16_without_a_byte_order_mark_is_not_read_as_text()
    {
        foreach (var bytes in new[] { new byte[64], Encoding.Unicode.GetBytes("oil prices rose again") })
        {
            var root = Collection(("news/a.txt", Utf8("oil prices rose")), ("news/b.txt", bytes));
            var e = Assert.Throws<InvalidDataException>(() => DocumentCollection.ReadFolder(root));
            Assert.Contains(Path.Combine(root, "news", "b.txt"), e.Message);
            Assert.Contains("NUL", e.Message);
        }
        // With its byte-order mark, UTF-16 is text.
        var marked = Collection(("news/a.txt", [.. Encoding.Unicode.GetPreamble(), .. Encoding.Unicode.GetBytes("oil prices rose again")]));
        Assert.Equal("oil prices rose again", DocumentCollection.ReadFolder(marked).Single().Text);
    }

    [Theory]
    [InlineData("../outside.txt")]
    [InlineData("/etc/hostname")]
    [InlineData(".hidden.txt")]
    [InlineData("news/missing.txt")]
    public void A_labels_line_naming_no_document_of_the_collection_is_refused_with_its_line(string entry)
    {
        var root = Collection(("news/a.txt", Utf8("oil prices")), ("news/b.txt", Utf8("wheat harvest")), (".hidden.txt", Utf8("secret")),
            (DocumentCollection.LabelsFileName, Utf8($"news/a.txt\toil|crude\n{entry}\tgrain\n")));
        File.WriteAllText(Path.Combine(root, "..", "outside.txt"), "outside the collection");
        var e = Assert.Throws<InvalidDataException>(() => DocumentCollection.ReadFolder(root));
        Assert.Contains("line 2", e.Message);
        Assert.Contains(entry, e.Message);
    }

    [Fact]
    public void A_document_listed_twice_in_the_labels_file_is_refused_naming_both_lines()
    {
        var root = Collection(("news/a.txt", Utf8("oil prices")), (DocumentCollection.LabelsFileName, Utf8("news/a.txt\toil\n\nnews/a.txt\tcrude\n")));
        var e = Assert.Throws<InvalidDataException>(() => DocumentCollection.ReadFolder(root));
        Assert.Contains("lines 1 and 3", e.Message);
    }

    [Fact]
    public void A_table_with_bytes_that_are_not_UTF8_is_refused_naming_the_line_as_the_folder_reader_does()
    {
        var latin1 = Encoding.Latin1.GetBytes("Text\tLabel\ncafé prices\tfood\n");
        var table = Path.Combine(Collection(("docs.tsv", latin1)), "docs.tsv");
        var e = Assert.Throws<InvalidDataException>(() => DocumentCollection.ReadTable(table));
        Assert.Contains(table, e.Message);
        Assert.Contains("line 2", e.Message);
        Assert.Contains("UTF-8", e.Message);
        // The same bytes as a folder document: refused the same way.
        var folder = Collection(("food/a.txt", Encoding.Latin1.GetBytes("café prices")));
        Assert.Contains("UTF-8", Assert.Throws<InvalidDataException>(() => DocumentCollection.ReadFolder(folder)).Message);
    }

    [Fact]
    public void A_directory_link_back_up_the_tree_is_walked_once()
    {
        ShapeImages.Write(Path.Combine(_dir.FullName, "images"), perClass: 1);
        Directory.CreateSymbolicLink(Path.Combine(_dir.FullName, "images", "ring", "loop"), "..");
        var images = ImageFolder.List(Path.Combine(_dir.FullName, "images"), skipUnreadable: true);
        Assert.Equal(3, images.Count);

        var root = Collection(("news/a.txt", Utf8("oil prices")), ("sport/b.txt", Utf8("goal")));
        Directory.CreateSymbolicLink(Path.Combine(root, "news", "loop"), root);
        Assert.Equal(["news/a.txt", "sport/b.txt"], DocumentCollection.ReadFolder(root).Select(d => d.Id));
        // A link to a folder outside the tree is followed (a data set assembled from links).
        var elsewhere = Collection(("c.txt", Utf8("wheat")));
        Directory.CreateSymbolicLink(Path.Combine(root, "grain"), elsewhere);
        Assert.Equal(["news/a.txt", "sport/b.txt", "grain/c.txt"], DocumentCollection.ReadFolder(root).Select(d => d.Id));
    }

    [Fact]
    public void A_file_given_as_a_folder_and_a_folder_given_as_a_file_are_named_as_such()
    {
        var root = Collection(("news/a.txt", Utf8("oil prices")));
        var file = Path.Combine(root, "news", "a.txt");
        Assert.Contains("is a file, not a folder", Assert.Throws<DirectoryNotFoundException>(() => ImageFolder.Load(new MLContext(), file)).Message);
        Assert.Contains("is a file, not a folder", Assert.Throws<DirectoryNotFoundException>(() => DocumentCollection.ReadFolder(file)).Message);
        Assert.Contains("is a folder, not a file", Assert.Throws<FileNotFoundException>(() => Reuters.ReadFile(root)).Message);
        Assert.Contains("is a folder, not a file", Assert.Throws<FileNotFoundException>(() => DocumentCollection.ReadTable(root)).Message);
    }
}
