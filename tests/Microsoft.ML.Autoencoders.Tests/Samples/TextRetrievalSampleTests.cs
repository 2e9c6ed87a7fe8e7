using Microsoft.ML.Autoencoders.Tests.Infrastructure;

namespace Microsoft.ML.Autoencoders.Tests.Samples;

[Collection(ChildProcesses.Collection)]
[Trait("Category", "Slow")]
public class TextRetrievalSampleTests
{
    private static readonly string[] Methods = ["ae10", "lsa10", "lsa50", "tfidf"];

    [Fact]
    public void Quick_run_reports_curves_for_every_method_and_text_search_answers_from_its_files()
    {
        var (dir, results, _) = SampleRunner.Run("text-retrieval");
        try
        {
            foreach (var file in new[] { "report.md", "precision_recall.png", "map_ae2.png", "map_lsa2.png", "autoencoder.zip", "codes.idx", "documents.jsonl", "text_features.zip", "map_ae2.zip" })
                Assert.True(new FileInfo(Path.Combine(dir, file)).Length > 100, $"{file} missing or empty");
            int levels = results.GetProperty("recall_levels").GetArrayLength();
            foreach (var method in Methods)
            {
                // Sharing a topic is common on Reuters (earn, acq), so even weak rankings beat 0.2; all must stay below 1.
                Assert.InRange(results.GetProperty($"{method}_p_at_10").GetDouble(), 0.2, 1.0);
                var curve = results.GetProperty($"{method}_precision_at_recall").EnumerateArray().Select(p => p.GetDouble()).ToArray();
                Assert.Equal(levels, curve.Length);
                Assert.True(curve[0] >= curve[^1], $"{method}: precision should fall as recall grows");
            }
            Assert.Contains("shares at least one label", File.ReadAllText(Path.Combine(dir, "report.md")));
            // Free text: every test story's title as a query, for every method; the default ranking's top 10 depends on the query.
            Assert.True(results.GetProperty("title_queries").GetInt32() > 100);
            foreach (var method in new[] { "ae10", "bm25", "hybrid", "lsa50", "tfidf" })
            {
                Assert.InRange(results.GetProperty($"title_query_p_at_10_{method}").GetDouble(), 0.1, 1.0);
                Assert.InRange(results.GetProperty($"title_query_p_at_1_{method}").GetDouble(), 0.1, 1.0);
            }
            Assert.InRange(results.GetProperty("query_topk_overlap").GetDouble(), 0.0, 0.05);
            Assert.Contains("Free-text queries (titles)", File.ReadAllText(Path.Combine(dir, "report.md")));

            var map = Path.Combine(dir, "oil_map.png");
            var search = ProcessRunner.Run("dotnet", [SampleRunner.AppPath("Samples"), "text-search", "oil prices opec output", "--out", dir, "--map", map], dir, TimeSpan.FromMinutes(2));
            Assert.True(search.ExitCode == 0, search.Output);
            Assert.Equal(10, search.Output.Split('\n').Count(l => System.Text.RegularExpressions.Regex.IsMatch(l, @"^\s*\d+\. ")));
            Assert.True(new FileInfo(map).Length > 1000, "text-search --map wrote no map");
            Assert.Contains("ranked by", search.Output);

            var empty = Directory.CreateTempSubdirectory("ae-no-run-");
            var missing = ProcessRunner.Run("dotnet", [SampleRunner.AppPath("Samples"), "text-search", "oil", "--out", empty.FullName], dir, TimeSpan.FromMinutes(1));
            empty.Delete();
            Assert.NotEqual(0, missing.ExitCode);
            Assert.Contains("text-retrieval", missing.Output);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void Reuters_exported_as_a_folder_corpus_gives_the_same_figures_as_the_Reuters_path()
    {
        var (reutersDir, reuters, _) = SampleRunner.Run("text-retrieval");
        var corpus = Directory.CreateTempSubdirectory("ae-reuters-corpus-");
        string folderDir = "";
        try
        {
            var folder = Path.Combine(corpus.FullName, "reuters");
            var export = ProcessRunner.Run("dotnet", [SampleRunner.AppPath("Samples"), "text-retrieval", "--export-corpus", folder, "--data", TestData.Root], corpus.FullName, TimeSpan.FromMinutes(3));
            Assert.True(export.ExitCode == 0, export.Output);
            Assert.True(Directory.Exists(Path.Combine(folder, "train")) && Directory.Exists(Path.Combine(folder, "test")));
            (folderDir, var fromFolder, _) = SampleRunner.Run("text-retrieval", "--corpus", folder);
            Assert.Equal("reuters", fromFolder.GetProperty("corpus").GetString());
            foreach (var key in new[] { "train_documents", "test_documents", "autoencoder_training_stories", "vocabulary" })
                Assert.Equal(reuters.GetProperty(key).GetInt32(), fromFolder.GetProperty(key).GetInt32());
            foreach (var method in Methods)
            {
                Assert.Equal(reuters.GetProperty($"{method}_p_at_10").GetDouble(), fromFolder.GetProperty($"{method}_p_at_10").GetDouble());
                Assert.Equal(reuters.GetProperty($"{method}_precision_at_recall").EnumerateArray().Select(p => p.GetDouble()),
                    fromFolder.GetProperty($"{method}_precision_at_recall").EnumerateArray().Select(p => p.GetDouble()));
            }
        }
        finally
        {
            Directory.Delete(reutersDir, recursive: true);
            if (folderDir.Length > 0) Directory.Delete(folderDir, recursive: true);
            corpus.Delete(recursive: true);
        }
    }

    [Fact]
    public void A_collection_without_labels_still_gets_an_index_and_maps_but_no_precision()
    {
        var corpus = Directory.CreateTempSubdirectory("ae-unlabelled-");
        string dir = "";
        try
        {
            var random = new Random(5);
            string[][] topics = [["rain", "storm", "wind", "forecast", "snow"], ["goal", "team", "match", "league", "coach"]];
            for (int i = 0; i < 120; i++)
                File.WriteAllText(Path.Combine(corpus.FullName, $"doc{i:D3}.txt"),
                    string.Join(' ', Enumerable.Range(0, 10).Select(_ => topics[i % 2][random.Next(5)])));
            (dir, var results, var console) = SampleRunner.Run("text-retrieval", "--corpus", corpus.FullName);
            Assert.False(results.TryGetProperty("ae10_p_at_10", out _));
            Assert.Contains("no labels", console);
            foreach (var file in new[] { "map_ae2.png", "autoencoder.zip", "codes.idx", "documents.jsonl" })
                Assert.True(new FileInfo(Path.Combine(dir, file)).Length > 100, $"{file} missing or empty");
            Assert.False(File.Exists(Path.Combine(dir, "precision_recall.png")));
            Assert.Contains("has no labels", File.ReadAllText(Path.Combine(dir, "report.md")));
        }
        finally
        {
            if (dir.Length > 0) Directory.Delete(dir, recursive: true);
            corpus.Delete(recursive: true);
        }
    }
}
