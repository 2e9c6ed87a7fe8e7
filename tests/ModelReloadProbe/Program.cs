// Usage: ModelReloadProbe <model.zip> <data.idv> <codeColumn> <output.tsv> [anomaly]
// Writes "micro_accuracy<TAB>value", "log_loss<TAB>value", then one line of codes per row; with "anomaly",
// "auc<TAB>value" and then "score<TAB>predicted label" per row (mlContext.AnomalyDetection.Evaluate on the output).
using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;

var (modelPath, dataPath, codeColumn, outputPath) = (args[0], args[1], args[2], args[3]);
var ml = new MLContext();
var model = ml.Model.Load(modelPath, out _);
var scored = model.Transform(ml.Data.LoadFromBinary(dataPath));
if (args.Length > 4 && args[4] == "anomaly")
{
    var anomaly = ml.AnomalyDetection.Evaluate(scored);
    using var output = new StreamWriter(outputPath);
    output.WriteLine($"auc\t{anomaly.AreaUnderRocCurve.ToString("R", CultureInfo.InvariantCulture)}");
    foreach (var (score, label) in scored.GetColumn<float>("Score").Zip(scored.GetColumn<bool>("PredictedLabel")))
        output.WriteLine($"{score.ToString("R", CultureInfo.InvariantCulture)}\t{label}");
    return;
}
var metrics = ml.MulticlassClassification.Evaluate(scored);
using var writer = new StreamWriter(outputPath);
writer.WriteLine($"micro_accuracy\t{metrics.MicroAccuracy.ToString("R", CultureInfo.InvariantCulture)}");
writer.WriteLine($"log_loss\t{metrics.LogLoss.ToString("R", CultureInfo.InvariantCulture)}");
foreach (var code in scored.GetColumn<VBuffer<float>>(codeColumn))
    writer.WriteLine(string.Join('\t', code.DenseValues().Select(v => v.ToString("R", CultureInfo.InvariantCulture))));
Console.WriteLine($"scored {metrics.ConfusionMatrix.Counts.Sum(r => r.Sum())} rows");
