using Microsoft.ML.Data;
using System.IO.Compression;
using Microsoft.ML.Autoencoders.Datasets;
using Microsoft.ML.Autoencoders.Tests.Infrastructure;

namespace Microsoft.ML.Autoencoders.Tests.Datasets;

public class ReutersLoadingTests
{
    [Fact]
    public void Reads_every_story_and_the_ModApte_split()
    {
        var all = Reuters.ReadDocuments(TestData.ReutersDirectory);
        Assert.Equal(Reuters.DocumentCount, all.Count);
        Assert.Equal(Enumerable.Range(1, Reuters.DocumentCount), all.Select(d => d.Id).Order());

        var first = all.Single(d => d.Id == 1);
        Assert.Equal("BAHIA COCOA REVIEW", first.Title);
        Assert.Equal(["cocoa"], first.Topics);
        Assert.StartsWith("Showers continued throughout the week", first.Body);
        Assert.DoesNotContain('\u0003', first.Body);

        var train = Reuters.ReadModApte(TestData.ReutersDirectory, ReutersSplit.Train);
        var test = Reuters.ReadModApte(TestData.ReutersDirectory, ReutersSplit.Test);
        // ModApte restricted to stories with at least one topic: about 7,770 training and 3,020 test stories.
        Assert.InRange(train.Count, 7700, 7800);
        Assert.InRange(test.Count, 3000, 3050);
        Assert.All(train.Concat(test), d => Assert.NotEmpty(d.Topics));
        Assert.Contains(train, d => d.Topics.Contains("crude"));

        // The same split as an IDataView, and the predicate that selects it.
        var view = Reuters.LoadModApte(new MLContext(seed: 1), TestData.ReutersDirectory, ReutersSplit.Test);
        Assert.Equal(test.Count, view.GetColumn<int>(nameof(ReutersDocument.Id)).Count());
        Assert.Equal(test.Select(d => d.Title), view.GetColumn<string>(nameof(ReutersDocument.Title)));
        Assert.Equal(test.Count, all.Count(d => Reuters.InModApte(d, ReutersSplit.Test)));
        Assert.DoesNotContain(all.Where(d => Reuters.InModApte(d, ReutersSplit.Train)), d => d.LewisSplit != "TRAIN" || d.Topics.Length == 0);
    }

    [Fact]
    public void A_truncated_file_is_named()
    {
        var dir = Directory.CreateTempSubdirectory("ae-reuters-");
        try
        {
            var source = Reuters.Locate(TestData.ReutersDirectory, "reut2-003.sgm");
            string text;
            using (var gz = new GZipStream(File.OpenRead(source), CompressionMode.Decompress))
            using (var reader = new StreamReader(gz, System.Text.Encoding.Latin1))
                text = reader.ReadToEnd();
            var truncated = Path.Combine(dir.FullName, "reut2-003.sgm");
            File.WriteAllText(truncated, text[..(text.Length / 2)], System.Text.Encoding.Latin1);
            var e = Assert.Throws<InvalidDataException>(() => Reuters.ReadFile(truncated));
            Assert.Contains(truncated, e.Message);

            // Cut cleanly after a record: every record that is left is complete, yet half the stories are gone.
            var atBoundary = Path.Combine(dir.CreateSubdirectory("cut").FullName, "reut2-003.sgm");
            int cut = text.IndexOf("</REUTERS>", text.Length / 2, StringComparison.Ordinal) + "</REUTERS>".Length;
            File.WriteAllText(atBoundary, text[..cut], System.Text.Encoding.Latin1);
            var boundary = Assert.Throws<InvalidDataException>(() => Reuters.ReadFile(atBoundary));
            Assert.Contains(atBoundary, boundary.Message);
            Assert.Contains("holds 1000", boundary.Message);

            var notGzip = Path.Combine(dir.FullName, "reut2-004.sgm.gz");
            File.WriteAllText(notGzip, "not gzip");
            Assert.Contains(notGzip, Assert.Throws<InvalidDataException>(() => Reuters.ReadFile(notGzip)).Message);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public void Finding_the_files_says_what_was_tried()
    {
        var empty = Directory.CreateTempSubdirectory("ae-reuters-empty-");
        try
        {
            Assert.Equal(TestData.ReutersDirectory, ReutersFiles.Ensure(TestData.Root, null, empty.FullName, null, []));
            var e = Assert.Throws<FileNotFoundException>(() => ReutersFiles.Ensure(null, empty.FullName, empty.FullName, null, ["http://127.0.0.1:9/none.tar.gz"]));
            Assert.Contains("$AUTOENCODERS_DATA", e.Message);
            var named = Assert.Throws<InvalidDataException>(() => ReutersFiles.Ensure(empty.FullName, null, TestData.ReutersDirectory, null, []));
            Assert.Contains(empty.FullName, named.Message);
            Assert.Contains("127.0.0.1", e.Message);
            Assert.Contains("--data DIR", e.Message);
        }
        finally
        {
            empty.Delete(recursive: true);
        }
    }
}
