using Microsoft.ML.Autoencoders.Onnx;
using Microsoft.ML.Autoencoders.Training.Networks;

namespace Microsoft.ML.Autoencoders.Export;

/// <summary>Column names that the exported ONNX graph reads and writes (graph value names = ML.NET column names).</summary>
internal sealed record AutoencoderColumns(string Input, string Code, string? Reconstruction, string? ReconstructionError, string? SquaredResidual = null)
{
    public string[] Outputs => new[] { Code, Reconstruction, ReconstructionError, SquaredResidual }.OfType<string>().ToArray();

    /// <summary>True when the graph needs the decoder (any output beyond the code).</summary>
    public bool NeedsDecoder => Reconstruction is not null || ReconstructionError is not null || SquaredResidual is not null;

    /// <summary>Throws when two of the columns share a name (an ONNX graph cannot read and write one name).</summary>
    public void Validate()
    {
        var all = new[] { Input, Code, Reconstruction, ReconstructionError, SquaredResidual }.OfType<string>().ToArray();
        var clash = all.GroupBy(n => n).FirstOrDefault(g => g.Count() > 1);
        if (clash is not null)
            throw new ArgumentException(
                $"Column name '{clash.Key}' is used twice among input '{Input}', code '{Code}', reconstruction '{Reconstruction}' and error '{ReconstructionError}'. " +
                "Give the outputs names of their own (copy or drop columns afterwards if needed).");
    }
}

/// <summary>
/// Turns a trained network into an ONNX model that scores one row at a time with 1-D shapes, so ML.NET sees plain
/// <c>vector&lt;float&gt;[n]</c> columns. Every node of a dense network works on a batch [N, n] as well (MatMul, Add,
/// activations, reductions over the last axis), which is what lets <see cref="BatchedGraph"/> derive the batched twin
/// of a saved graph by changing its declared shapes only.
/// </summary>
internal static class AutoencoderOnnxExport
{
    public static byte[] Export(AutoencoderNetwork network, AutoencoderColumns columns)
    {
        var g = new OnnxModelBuilder();
        g.AddInput(columns.Input, network.InputSize);
        var outputs = new List<(string Name, string Value, long Width)>();
        var (code, reconstruction) = columns.NeedsDecoder ? network.EmitAutoencoder(g, columns.Input) : (network.EmitEncoder(g, columns.Input, batched: false), null);
        outputs.Add((columns.Code, code, network.CodeSize));
        if (columns.Reconstruction is string r) outputs.Add((r, reconstruction!, network.InputSize));
        if (columns.ReconstructionError is not null || columns.SquaredResidual is not null)
        {
            // (x − x̂)² per value; a softmax reconstruction is a distribution, so it is compared with x / Σx.
            var target = network.Output == ReconstructionOutput.Softmax ? EmitDistribution(g, columns.Input) : columns.Input;
            var diff = g.Apply("Sub", [target, reconstruction!]);
            var squared = g.Apply("Mul", [diff, diff]);
            // The anomaly detector's residuals: a row holding NaN or ±∞ cannot be reconstructed, so its residuals are +∞
            // (its score is +∞ and it is predicted anomalous) rather than NaN, which ML.NET's predictor would call normal.
            if (columns.SquaredResidual is string residual) outputs.Add((residual, EmitNaNAsInfinity(g, squared), network.InputSize));
            // Σ (x − x̂)² over the last axis, kept as [1]: ML.NET's OnnxTransformer cannot read rank-0 outputs.
            if (columns.ReconstructionError is string e) outputs.Add((e, g.Apply("ReduceSum", [squared, LastAxis(g)], OnnxAttribute.Of("keepdims", 1L)), 1));
        }
        foreach (var (name, value, width) in outputs)
        {
            g.AddNode("Identity", [value], [name]);
            g.AddOutput(name, width);
        }
        return g.ToBytes("autoencoder", $"Autoencoder {network.InputSize} → {network.CodeSize}: input '{columns.Input}', code '{columns.Code}'.");
    }

    /// <summary>Where(IsNaN(x), +∞, x).</summary>
    private static string EmitNaNAsInfinity(OnnxModelBuilder g, string value) =>
        g.Apply("Where", [g.Apply("IsNaN", [value]), g.AddInitializer("infinity", [float.PositiveInfinity], 1), value]);

    private static string LastAxis(OnnxModelBuilder g) => g.AddInt64Initializer("last_axis", -1);

    /// <summary>x / max(Σx, 1e-12) for each row x, as ReconstructionLossFunctions.Distribution computes it in training.</summary>
    private static string EmitDistribution(OnnxModelBuilder g, string row)
    {
        var sum = g.Apply("ReduceSum", [row, LastAxis(g)], OnnxAttribute.Of("keepdims", 1L));
        var floor = g.AddInitializer("sum_floor", [1e-12f], 1);
        return g.Apply("Div", [row, g.Apply("Max", [sum, floor])]);
    }

    /// <summary>Input and output names of the batched encoder graph.</summary>
    public const string BatchInput = "input", BatchCode = "code";

    /// <summary>The encoder alone on a batch [N, InputSize] → [N, CodeSize], for bulk scoring (see AutoencoderBatchEncoder).</summary>
    public static byte[] ExportBatchEncoder(AutoencoderNetwork network)
    {
        var g = new OnnxModelBuilder();
        g.AddInput(BatchInput, null, network.InputSize);
        var code = network.EmitEncoder(g, BatchInput, batched: true);
        g.AddNode("Identity", [code], [BatchCode]);
        g.AddOutput(BatchCode, null, network.CodeSize);
        return g.ToBytes("autoencoder_batch_encoder", $"Encoder {network.InputSize} → {network.CodeSize} on batches [N, {network.InputSize}].");
    }
}
