// Usage: ModelReloadProbe <model.zip> <data.idv> <codeColumn> <output.tsv>
// Writes "micro_accuracy<TAB>value", "log_loss<TAB>value", then one line of codes per row.
using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;

var (modelPath, dataPath, codeColumn, outputPath) = (args[0], args[1], args[2], args[3]);
var ml = new MLContext();
var model = ml.Model.Load(modelPath, out _);
var scored = model.Transform(ml.Data.LoadFromBinary(dataPath));
var metrics = ml.MulticlassClassification.Evaluate(scored);
using var writer = new StreamWriter(outputPath);
writer.WriteLine($"micro_accuracy\t{metrics.MicroAccuracy.ToString("R", CultureInfo.InvariantCulture)}");
writer.WriteLine($"log_loss\t{metrics.LogLoss.ToString("R", CultureInfo.InvariantCulture)}");
foreach (var code in scored.GetColumn<VBuffer<float>>(codeColumn))
    writer.WriteLine(string.Join('\t', code.DenseValues().Select(v => v.ToString("R", CultureInfo.InvariantCulture))));
Console.WriteLine($"scored {metrics.ConfusionMatrix.Counts.Sum(r => r.Sum())} rows");
