using System.CommandLine;
using System.Globalization;
using AutoencoderSamples.Common;
using Microsoft.ML;
using Microsoft.ML.Autoencoders;

namespace AutoencoderSamples.Scenarios;

/// <summary>
/// Free-text search over the documents a <c>text-retrieval</c> run indexed (Reuters or any <c>--corpus</c>), through the
/// saved <see cref="DocumentSearchIndex"/>; <c>--map</c> also draws the query on the 2-D document map.
/// </summary>
internal static class TextSearchScenario
{
    public static Command Create()
    {
        var command = new Command("text-search", "Search the documents a text-retrieval run indexed by free text (e.g. text-search \"oil prices opec output\" --map).");
        var query = new Argument<string>("query") { Description = "Words to search for." };
        var output = SampleOptions.Out(Path.Combine("out", "text-retrieval"));
        output.Description = "Folder of a text-retrieval run (its document index and map model).";
        var top = new Option<int>("--top") { Description = "Results to print.", DefaultValueFactory = _ => 10 };
        var map = new Option<string?>("--map") { Description = "Also draw the 2-D document map with the query and its results marked, into this PNG (default: query_map.png in the run folder).", Arity = ArgumentArity.ZeroOrOne };
        command.Arguments.Add(query);
        command.Options.Add(output);
        command.Options.Add(top);
        command.Options.Add(map);
        command.SetAction(result =>
        {
            bool drawMap = result.GetResult(map) is not null;
            var folder = result.GetValue(output)!;
            return Run(result.GetValue(query)!, folder, result.GetValue(top), drawMap ? result.GetValue(map) ?? Path.Combine(folder, "query_map.png") : null);
        });
        return command;
    }

    public static int Run(string query, string folder, int top, string? mapPath = null)
    {
        var ml = new MLContext(seed: 1);
        DocumentSearchIndex index;
        try
        {
            index = DocumentSearchIndex.Load(ml, folder);
        }
        catch (FileNotFoundException e)
        {
            Console.Error.WriteLine($"{e.Message} Run `text-retrieval --out {folder}` first (add --quick for a small model, --corpus PATH for your own documents).");
            return 2;
        }
        using var _ = index;
        if (!index.HasKnownWords(query))
        {
            Console.WriteLine($"None of the words of \"{query}\" is in the {index.Words.Vocabulary.Length}-word vocabulary.");
            return 1;
        }
        var hits = index.Search(query, top);
        Console.WriteLine($"Query: \"{query}\": top {top} of {index.Documents.Count} documents, ranked by " + index.Ranking switch
        {
            DocumentRanking.Codes => "the cosine similarity of their codes (score: cosine)",
            DocumentRanking.Lexical => "BM25 (score: BM25)",
            _ => $"{index.LexicalWeight} · BM25 / the best BM25 + {1 - index.LexicalWeight:0.##} · code cosine (score)",
        });
        foreach (var (hit, rank) in hits.Select((h, r) => (h, r + 1)))
        {
            var title = hit.Document.Text.Split('\n', 2)[0].Trim();
            if (title.Length > 90) title = title[..87] + "...";
            float score = index.Ranking == DocumentRanking.Lexical ? -hit.Distance : 1 - hit.Distance;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{rank,2}. {score:F3}  [{string.Join(',', hit.Document.Labels)}]  {title}"));
        }
        if (mapPath is not null) return DrawMap(ml, index, query, hits, folder, mapPath);
        return 0;
    }

    /// <summary>Every indexed document on the 2-D map (coloured by its most frequent labels), the query as a star, its results circled.</summary>
    private static int DrawMap(MLContext ml, DocumentSearchIndex index, string query, IReadOnlyList<DocumentHit> hits, string folder, string mapPath)
    {
        var mapModelPath = Path.Combine(folder, TextRetrievalScenario.MapModelFile);
        if (!File.Exists(mapModelPath))
        {
            Console.Error.WriteLine($"'{Path.GetFullPath(mapModelPath)}' does not exist: run `text-retrieval --out {folder}` again (it saves the 2-D map model).");
            return 2;
        }
        var mapModel = ml.Model.LoadVerified(mapModelPath, out _);
        var texts = index.Documents.Select(d => d.Text).Append(query).ToArray();
        var inputs = index.Words.Counts(texts).Select(index.Words.AutoencoderInput).ToArray();
        var points = VectorData.Column(mapModel.Transform(VectorData.ToDataView(ml, inputs, DocumentSearchIndex.WordsColumn, index.Words.FeatureCount)), DocumentSearchIndex.CodeColumn);
        var topLabels = MapLabels.Top(index.Documents, TextRetrievalScenario.Settings.MapTopics);
        var labels = index.Documents.Select(d => MapLabels.Of(d, topLabels) ?? ScatterPlot.Other).ToArray();
        // The results come from the index's ranking (BM25 and/or the 10-d codes), not from this map: the 2-D map squeezes the
        // codes into two numbers, so a result may sit far from the query here. The title says so.
        string rankedBy = index.Ranking switch
        {
            DocumentRanking.Codes => "the 10-d codes",
            DocumentRanking.Lexical => "BM25",
            _ => "BM25 and the 10-d codes",
        };
        ScatterPlot.SaveWithQuery(mapPath, $"\"{query}\" on the 2-D map; circled: its {hits.Count} results, ranked by {rankedBy} (not by distance on this map)",
            points[..^1], labels, points[^1], hits.Select(h => h.Row).ToArray(), "code 1", "code 2");
        Console.WriteLine($"Wrote {Path.GetFullPath(mapPath)}.");
        return 0;
    }
}
