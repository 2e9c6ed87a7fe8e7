using System.Text.Json;
using Microsoft.ML;
using Microsoft.ML.Autoencoders;
using Microsoft.ML.Autoencoders.Datasets;
using Microsoft.ML.Data;

namespace AutoencoderBenchmarks;

/// <summary>
/// Writes what benchmarks/portability/check-encoder.mjs compares: a trained encoder as a standalone <c>encoder.onnx</c>
/// and 1,000 test rows with the codes .NET computed for them through the model's <c>Transform</c> (the OnnxTransformer
/// path a user gets), so another ONNX Runtime host (Node) can be checked against them.
/// </summary>
internal static class PortabilityExport
{
    private sealed class Input
    {
        [VectorType(MnistImage.PixelCount)] public float[] Pixels { get; set; } = [];
    }

    public sealed record Rows(int InputSize, int CodeSize, string InputName, string OutputName, float[][] Inputs, float[][] Codes);

    public static void Write(string folder, IReadOnlyList<MnistImage> train, IReadOnlyList<MnistImage> test, int rows = 1000)
    {
        Directory.CreateDirectory(folder);
        var ml = new MLContext(seed: 1);
        var trainView = ml.Data.LoadFromEnumerable(train.Take(5000).Select(t => new Input { Pixels = t.Pixels }));
        using var model = ml.Transforms.AutoencoderFeaturizer("Code", "Pixels",
            new AutoencoderOptions { EncoderLayers = [256, 128], CodeSize = 30, Epochs = 2, CacheInMemory = true, Seed = 1 }).Fit(trainView);
        model.SaveOnnx(Path.Combine(folder, "encoder.onnx"));
        var inputs = test.Take(rows).Select(t => t.Pixels).ToArray();
        var scored = model.Transform(ml.Data.LoadFromEnumerable(inputs.Select(p => new Input { Pixels = p })));
        var codes = scored.GetColumn<VBuffer<float>>("Code").Select(v => v.DenseValues().ToArray()).ToArray();
        var data = new Rows(MnistImage.PixelCount, codes[0].Length, "Pixels", "Code", inputs, codes);
        File.WriteAllText(Path.Combine(folder, "rows.json"), JsonSerializer.Serialize(data));
        Console.WriteLine($"Wrote {Path.Combine(folder, "encoder.onnx")} and rows.json ({inputs.Length} rows, codes of {data.CodeSize}).");
    }
}
