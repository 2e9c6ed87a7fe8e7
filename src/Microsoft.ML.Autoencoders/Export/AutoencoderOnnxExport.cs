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
/// <c>vector&lt;float&gt;[n]</c> columns. Where the network allows (every family but a convolutional decoder), the same graph
/// also scores batches: an optional second input <c>{input}:batch</c> [N, n], empty by default, is stacked under the row,
/// the network runs once on all of them, and outputs <c>{output}:batch</c> carry the batch's rows. ML.NET's
/// OnnxTransformer never feeds it (a row costs one extra row of nothing); <see cref="BatchedScoring"/> feeds it.
/// </summary>
internal static class AutoencoderOnnxExport
{
    /// <summary>Name of the batch twin of a row input or output.</summary>
    public static string BatchName(string name) => name + ":batch";

    public static byte[] Export(AutoencoderNetwork network, AutoencoderColumns columns)
    {
        var g = new OnnxModelBuilder();
        g.AddInput(columns.Input, network.InputSize);
        bool batched = !columns.NeedsDecoder || network.CanEmitBatchedDecoder;
        var x = columns.Input;
        if (batched)
        {
            var batchInput = BatchName(columns.Input);
            g.AddInput(batchInput, null, network.InputSize);
            g.SetInputDefault(batchInput, [], 0, network.InputSize);
            var row = g.Apply("Reshape", [columns.Input, g.AddInt64Initializer("one_row", 1, network.InputSize)]);
            x = g.Apply("Concat", [row, batchInput], OnnxAttribute.Of("axis", 0L));
        }
        var outputs = new List<(string Name, string Value, long Width)>();
        var (code, reconstruction) = columns.NeedsDecoder ? network.EmitAutoencoder(g, x, batched) : (network.EmitEncoder(g, x, batched), null);
        outputs.Add((columns.Code, code, network.CodeSize));
        if (columns.Reconstruction is string r) outputs.Add((r, reconstruction!, network.InputSize));
        if (columns.ReconstructionError is not null || columns.SquaredResidual is not null)
        {
            // (x − x̂)² per value; a softmax reconstruction is a distribution, so it is compared with x / Σx.
            var target = network.Output == ReconstructionOutput.Softmax ? EmitDistribution(g, x) : x;
            var diff = g.Apply("Sub", [target, reconstruction!]);
            var squared = g.Apply("Mul", [diff, diff]);
            if (columns.SquaredResidual is string residual) outputs.Add((residual, squared, network.InputSize));
            // Σ (x − x̂)² over each row, kept as [1] per row: ML.NET's OnnxTransformer cannot read rank-0 outputs.
            if (columns.ReconstructionError is string e) outputs.Add((e, g.Apply("ReduceSum", [squared, LastAxis(g)], OnnxAttribute.Of("keepdims", 1L)), 1));
        }
        foreach (var (name, value, width) in outputs)
        {
            if (!batched)
            {
                g.AddNode("Identity", [value], [name]);
                g.AddOutput(name, width);
                continue;
            }
            // Row 0 is the row input, rows 1… the batch.
            var axis = g.AddInt64Initializer("axis0", 0);
            var first = g.Apply("Slice", [value, g.AddInt64Initializer("start0", 0), g.AddInt64Initializer("end1", 1), axis]);
            g.AddNode("Reshape", [first, g.AddInt64Initializer("row_shape", width)], [name]);
            g.AddOutput(name, width);
            g.AddNode("Slice", [value, g.AddInt64Initializer("start1", 1), g.AddInt64Initializer("end", long.MaxValue), axis], [BatchName(name)]);
            g.AddOutput(BatchName(name), null, width);
        }
        return g.ToBytes("autoencoder", $"Autoencoder {network.InputSize} → {network.CodeSize}: input '{columns.Input}', code '{columns.Code}'" +
            (batched ? $"; batches through '{BatchName(columns.Input)}'." : "."));
    }

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
