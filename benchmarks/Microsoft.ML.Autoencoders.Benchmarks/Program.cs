using System.Globalization;
using System.Text;
using System.Text.Json;
using AutoencoderBenchmarks;
using Microsoft.ML.Autoencoders.Datasets;

// Usage: dotnet run --project benchmarks/Microsoft.ML.Autoencoders.Benchmarks -c Release -- [--quick] [--data DIR] [--only SECTION]
//        ... -- --portability FOLDER [--data DIR]: only write encoder.onnx + rows.json for benchmarks/portability/check-encoder.mjs
bool quick = args.Contains("--quick");
int dataIndex = Array.IndexOf(args, "--data");
var dataDir = MnistFiles.Ensure(dataIndex >= 0 ? args[dataIndex + 1] : null, log: Console.WriteLine);
int portabilityIndex = Array.IndexOf(args, "--portability");
if (portabilityIndex >= 0)
{
    PortabilityExport.Write(args[portabilityIndex + 1], Mnist.ReadImages(dataDir, MnistSplit.Train, 5000), Mnist.ReadImages(dataDir, MnistSplit.Test, 1000));
    return 0;
}
var images = Mnist.ReadImages(dataDir, MnistSplit.Train, quick ? 3000 : null);
int epochs = quick ? 1 : 3;
Console.WriteLine($"MNIST rows: {images.Count}, epochs: {epochs}, batch 256, torch threads: {TorchSharp.torch.get_num_threads()}, cores: {Environment.ProcessorCount}");

var test = Mnist.ReadImages(dataDir, MnistSplit.Test, quick ? 1000 : null);
var rows = new List<BenchmarkRow>();
int onlyIndex = Array.IndexOf(args, "--only"); // e.g. --only memory: run one section
string? only = onlyIndex >= 0 ? args[onlyIndex + 1] : null;
void Section(string name, IEnumerable<BenchmarkRow> section)
{
    if (only is not null && !name.Contains(only, StringComparison.OrdinalIgnoreCase)) return;
    Console.WriteLine($"-- {name} ...");
    foreach (var row in section)
    {
        rows.Add(row);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"   {row.Figure}: {row.Value:F1} | {row.Reference}: {row.ReferenceValue:F1}"));
    }
}
Section("training throughput", TrainingThroughput.Run(images, epochs, 256));
Section("scoring", ScoringThroughput.Run(images, test));
Section("PCA comparison", PcaComparison.Run(images, test));
Section("scaling", Scaling.Run(images, quick));
Section("search", SearchSpeed.Run(images, test, quick));
Section("streaming", StreamingSpeed.Run(quick));
Section("memory", MemoryStability.Run(quick ? images : images.Take(15000).ToList(), test, quick));

var md = new StringBuilder();
md.AppendLine($"Benchmarks, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, {CpuModel()}, torch threads {TorchSharp.torch.get_num_threads()}, rows {images.Count}, epochs {epochs}{(quick ? " (quick: no targets)" : "")}");
md.AppendLine();
md.AppendLine("| key | figure | value | reference | reference value | ratio | target |");
md.AppendLine("|---|---|---|---|---|---|---|");
foreach (var r in rows)
    md.AppendLine(string.Create(CultureInfo.InvariantCulture, $"| `{r.Key}` | {r.Figure} | {r.Value:G4} | {r.Reference} | {r.ReferenceValue:G4} | {r.Ratio:F3} | {r.Target} |"));
Console.WriteLine(md.ToString());

var resultsDir = Directory.CreateDirectory(Path.Combine("benchmarks", "results")).FullName;
string stem = quick ? "quick" : only is null ? "latest" : $"only-{only}";
File.WriteAllText(Path.Combine(resultsDir, stem + ".md"), md.ToString());
File.WriteAllText(Path.Combine(resultsDir, stem + ".json"), JsonSerializer.Serialize(rows, new JsonSerializerOptions { WriteIndented = true }));
return 0;

static string CpuModel() =>
    File.Exists("/proc/cpuinfo") ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name"))?.Split(':', 2)[1].Trim() ?? "unknown CPU" : "unknown CPU";
