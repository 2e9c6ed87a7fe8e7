using Microsoft.ML.Autoencoders;
using Microsoft.ML;
using System.Text;
using System.Text.Json;

namespace AutoencoderSamples.Common;

/// <summary>Collects a scenario's numbers and prose, then writes <c>results.json</c> and <c>report.md</c> to the output folder.</summary>
internal sealed class RunReport(string outputDirectory, string title)
{
    private readonly SortedDictionary<string, object?> _results = new(StringComparer.Ordinal);
    private readonly StringBuilder _markdown = new();

    public string OutputDirectory { get; } = Directory.CreateDirectory(outputDirectory).FullName;

    public string PathOf(string fileName) => Path.Combine(OutputDirectory, fileName);

    public void Set(string key, object? value) => _results[key] = value;

    public T Get<T>(string key) => (T)_results[key]!;

    public RunReport Line(string text = "")
    {
        _markdown.AppendLine(text);
        return this;
    }

    /// <summary>A markdown table: header row, then rows.</summary>
    public RunReport Table(string[] header, IEnumerable<string[]> rows)
    {
        _markdown.AppendLine("| " + string.Join(" | ", header) + " |");
        _markdown.AppendLine("|" + string.Concat(header.Select(_ => "---|")));
        foreach (var r in rows) _markdown.AppendLine("| " + string.Join(" | ", r) + " |");
        _markdown.AppendLine();
        return this;
    }

    public RunReport Image(string alt, string fileName) => Line($"![{alt}]({fileName})").Line();

    public void Write()
    {
        File.WriteAllText(PathOf("results.json"), JsonSerializer.Serialize(_results, new JsonSerializerOptions { WriteIndented = true }));
        File.WriteAllText(PathOf("report.md"), $"# {title}\n\n" + _markdown);
    }
}
