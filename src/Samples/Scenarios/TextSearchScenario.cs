using System.CommandLine;
using System.Globalization;
using AutoencoderSamples.Common;
using Microsoft.ML;
using Microsoft.ML.Autoencoders;

namespace AutoencoderSamples.Scenarios;

/// <summary>Free-text search over the Reuters training documents with the model and code index a <c>text-retrieval</c> run saved.</summary>
internal static class TextSearchScenario
{
    public static Command Create()
    {
        var command = new Command("text-search", "Search Reuters-21578 by free text with the autoencoder a text-retrieval run saved (e.g. text-search \"oil prices opec output\").");
        var query = new Argument<string>("query") { Description = "Words to search for." };
        var output = SampleOptions.Out(Path.Combine("out", "text-retrieval"));
        output.Description = "Folder of a text-retrieval run (its model, index and vocabulary).";
        var top = new Option<int>("--top") { Description = "Results to print.", DefaultValueFactory = _ => 10 };
        command.Arguments.Add(query);
        command.Options.Add(output);
        command.Options.Add(top);
        command.SetAction(result => Run(result.GetValue(query)!, result.GetValue(output)!, result.GetValue(top)));
        return command;
    }

    public static int Run(string query, string folder, int top)
    {
        var missing = new[] { TextRetrievalScenario.ModelFile, TextRetrievalScenario.IndexFile, TextRetrievalScenario.DocumentsFile, BagOfWords.ModelFile, BagOfWords.VocabularyFile }
            .Where(f => !File.Exists(Path.Combine(folder, f))).ToArray();
        if (missing.Length > 0)
        {
            Console.Error.WriteLine($"'{Path.GetFullPath(folder)}' lacks {string.Join(", ", missing)}: run `text-retrieval --out {folder}` first (add --quick for a small model).");
            return 2;
        }
        var ml = new MLContext(seed: 1);
        var documents = File.ReadAllLines(Path.Combine(folder, TextRetrievalScenario.DocumentsFile)).Select(l => l.Split('\t')).ToArray();
        var features = BagOfWords.Load(ml, folder);
        var model = ml.Model.Load(Path.Combine(folder, TextRetrievalScenario.ModelFile), out _);
        var index = CodeIndex.Load(Path.Combine(folder, TextRetrievalScenario.IndexFile));

        var input = features.AutoencoderInput(features.Counts([query])[0]);
        if (input.All(v => v == 0))
        {
            Console.WriteLine($"None of the words of \"{query}\" is in the {features.Vocabulary.Length}-word vocabulary.");
            return 1;
        }
        var code = VectorData.Column(model.Transform(VectorData.ToDataView(ml, [input], "Words", input.Length)), "Code")[0];
        Console.WriteLine($"Query: \"{query}\": top {top} of {index.Count} training documents by cosine similarity of their 10-d codes");
        foreach (var (hit, rank) in index.Search(code, top).Select((h, r) => (h, r + 1)))
        {
            var d = documents[hit.Row];
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{rank,2}. {1 - hit.Distance:F3}  [{d[1]}]  {d[2]}"));
        }
        return 0;
    }
}
