using Google.Protobuf;
using Microsoft.ML.Autoencoders.Onnx;
using Microsoft.ML.Autoencoders.Onnx.Proto;

namespace Microsoft.ML.Autoencoders.Export;

/// <summary>
/// The batched twin of a row graph this package exported: the same nodes and weights, with each input and output
/// declared [N, n] instead of [n]. That is exact only when every node treats a row of a batch as it treats a single row —
/// true of what the dense families export (MatMul, Add, activations, Softmax over the last axis, reductions over an
/// explicit last axis) and checked node by node here; a graph with anything else (a convolutional network's reshapes)
/// gets no twin and is scored row by row. Deriving the twin from the saved graph, rather than saving a second one, keeps
/// the model zip as stock ML.NET writes it.
/// </summary>
internal static class BatchedGraph
{
    /// <summary>Nodes that act on each row of a [N, n] batch as on a single [n] row.</summary>
    private static readonly HashSet<string> RowWise = ["MatMul", "Add", "Sub", "Mul", "Div", "Max", "Relu", "LeakyRelu", "Tanh", "Sigmoid", "Gelu", "Identity", "IsNaN", "Where"];

    /// <summary>The batched twin of <paramref name="model"/>, or null when it is not this package's or not row-wise throughout.</summary>
    public static byte[]? FromRowGraph(byte[] model)
    {
        ModelProto parsed;
        try
        {
            parsed = ModelProto.Parser.ParseFrom(model);
        }
        catch (InvalidProtocolBufferException)
        {
            return null;
        }
        if (parsed.ProducerName != OnnxModelBuilder.ProducerName || parsed.Graph is not { } graph || !graph.Node.All(IsRowWise)) return null;
        foreach (var values in new[] { graph.Input, graph.Output })
        {
            for (int i = 0; i < values.Count; i++)
            {
                if (Batched(values[i]) is not { } batched) return null;
                values[i] = batched;
            }
        }
        return parsed.ToByteArray();
    }

    /// <summary>Row-wise nodes; Softmax and ReduceSum only over the last axis (attribute axis = −1, an axes input).</summary>
    private static bool IsRowWise(NodeProto node) => node.OpType switch
    {
        var op when RowWise.Contains(op) => true,
        "Softmax" => node.Attribute.Any(a => a.Name == "axis" && a.I == -1),
        "ReduceSum" => node.Input.Count == 2, // explicit axes (the exporter's last axis)
        _ => false,
    };

    /// <summary>A ValueInfoProto of a float [n] tensor declared as [N, n]; null for any other shape.</summary>
    private static ValueInfoProto? Batched(ValueInfoProto value)
    {
        var dims = value.Type?.TensorType?.Shape?.Dim;
        if (!value.HasName || dims is not { Count: 1 } || !dims[0].HasDimValue || dims[0].DimValue <= 0) return null;
        return OnnxModelBuilder.ValueInfo(value.Name, [null, dims[0].DimValue]);
    }
}
