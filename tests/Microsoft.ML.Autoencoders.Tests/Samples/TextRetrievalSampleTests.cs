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
            foreach (var file in new[] { "report.md", "precision_recall.png", "map_ae2.png", "map_lsa2.png", "ae10.zip", "ae10.idx", "documents.tsv", "text_features.zip" })
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
            Assert.Contains("shares at least one topic", File.ReadAllText(Path.Combine(dir, "report.md")));

            var search = ProcessRunner.Run("dotnet", [SampleRunner.AppPath("Samples"), "text-search", "oil prices opec output", "--out", dir], dir, TimeSpan.FromMinutes(2));
            Assert.True(search.ExitCode == 0, search.Output);
            Assert.Equal(10, search.Output.Split('\n').Count(l => System.Text.RegularExpressions.Regex.IsMatch(l, @"^\s*\d+\. ")));

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
}
