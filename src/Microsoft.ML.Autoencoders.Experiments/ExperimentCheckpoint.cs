using Microsoft.ML.Autoencoders.Files;
using System.Text.Json;

namespace Microsoft.ML.Autoencoders.Experiments;

/// <summary>
/// The trials of an experiment kept in a folder (one JSON line per trial in <c>trials.jsonl</c>, the best model in
/// <c>best_model.zip</c>), so that a restarted experiment replays what was done instead of training it again.
/// </summary>
internal sealed class ExperimentCheckpoint
{
    private const string TrialsFile = "trials.jsonl", BestModelFile = "best_model.zip";
    private readonly string _folder;

    public ExperimentCheckpoint(string folder)
    {
        _folder = folder;
        Directory.CreateDirectory(folder);
    }

    public sealed record Entry(int TrialId, double[] Point, double Budget, double? Metric, double Seconds, string? Error);

    public string BestModelPath => Path.Combine(_folder, BestModelFile);

    public IReadOnlyList<Entry> Read()
    {
        var path = Path.Combine(_folder, TrialsFile);
        if (!File.Exists(path)) return [];
        var entries = new List<Entry>();
        int line = 0;
        foreach (var text in File.ReadLines(path))
        {
            line++;
            if (string.IsNullOrWhiteSpace(text)) continue;
            try
            {
                entries.Add(JsonSerializer.Deserialize<Entry>(text) ?? throw new JsonException("empty entry"));
            }
            catch (JsonException e)
            {
                // A line cut off by a crash is the last one: the trial it describes simply runs again.
                if (line == File.ReadLines(path).Count()) break;
                throw new InvalidDataException($"Experiment checkpoint '{path}' line {line} is corrupt: {e.Message}", e);
            }
        }
        return entries;
    }

    /// <summary>Saves the best model so far (through a temporary file: a crash never leaves half a zip).</summary>
    public void SaveBestModel(MLContext ml, ITransformer model, DataViewSchema schema) =>
        AtomicFile.Write(BestModelPath, "the experiment's best model", stream => ml.Model.Save(model, schema, stream));

    /// <summary>The saved best model, loaded with the checksum check; false with the reason (naming the file) when it is missing or damaged.</summary>
    public bool TryLoadBestModel(MLContext ml, out ITransformer? model, out string problem)
    {
        model = null;
        problem = "";
        try
        {
            model = ml.Model.LoadVerified(BestModelPath, out _);
            return true;
        }
        catch (Exception e) when (e is FileNotFoundException or InvalidDataException or IOException)
        {
            problem = $"Experiment checkpoint's best model '{Path.GetFullPath(BestModelPath)}' cannot be used ({e.Message})";
            return false;
        }
    }

    public void Append(Entry entry) => File.AppendAllText(Path.Combine(_folder, TrialsFile), JsonSerializer.Serialize(entry) + "\n");
}
