using Google.Protobuf;

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
    // onnx.proto field numbers. ModelProto: producer_name 2, graph 7. GraphProto: node 1, input 11, output 12.
    // NodeProto: input 1, op_type 4, attribute 5. ValueInfoProto: name 1, type 2. TypeProto: tensor_type 1.
    // TypeProto.Tensor: shape 2. TensorShapeProto: dim 1. Dimension: dim_value 1. AttributeProto: name 1, i 3.
    private const int ProducerField = 2, GraphField = 7, NodeField = 1, InputField = 11, OutputField = 12;

    /// <summary>Nodes that act on each row of a [N, n] batch as on a single [n] row.</summary>
    private static readonly HashSet<string> RowWise = ["MatMul", "Add", "Sub", "Mul", "Div", "Max", "Relu", "LeakyRelu", "Tanh", "Sigmoid", "Gelu", "Identity", "IsNaN", "Where"];

    /// <summary>The batched twin of <paramref name="model"/>, or null when it is not this package's or not row-wise throughout.</summary>
    public static byte[]? FromRowGraph(byte[] model)
    {
        try
        {
            var fields = Fields(model);
            if (fields.FirstOrDefault(f => f.Number == ProducerField).Value is not { } producer || producer.ToStringUtf8() != OnnxModelBuilder.ProducerName) return null;
            var graphField = fields.FirstOrDefault(f => f.Number == GraphField);
            if (graphField.Value is null) return null;
            var graph = Fields(graphField.Value.ToByteArray());
            if (!graph.Where(f => f.Number == NodeField).All(f => IsRowWise(f.Value!))) return null;
            var batchedGraph = new MemoryStream();
            foreach (var f in graph)
            {
                if (f.Number is InputField or OutputField)
                {
                    if (Batched(f.Value!) is not { } info) return null;
                    WriteMessage(batchedGraph, f.Number, info);
                }
                else batchedGraph.Write(f.Raw);
            }
            var result = new MemoryStream();
            foreach (var f in fields)
            {
                if (f.Number == GraphField) WriteMessage(result, GraphField, batchedGraph.ToArray());
                else result.Write(f.Raw);
            }
            return result.ToArray();
        }
        catch (InvalidProtocolBufferException)
        {
            return null;
        }
    }

    /// <summary>Row-wise nodes; Softmax and ReduceSum only over the last axis (attribute axis = −1, an axes input).</summary>
    private static bool IsRowWise(ByteString node)
    {
        var fields = Fields(node.ToByteArray());
        string op = fields.FirstOrDefault(f => f.Number == 4).Value?.ToStringUtf8() ?? "";
        if (RowWise.Contains(op)) return true;
        if (op == "Softmax") return fields.Where(f => f.Number == 5).Any(a => IsIntAttribute(a.Value!, "axis", -1));
        if (op == "ReduceSum") return fields.Count(f => f.Number == 1) == 2; // explicit axes (the exporter's last axis)
        return false;
    }

    private static bool IsIntAttribute(ByteString attribute, string name, long value)
    {
        var fields = Fields(attribute.ToByteArray());
        return fields.FirstOrDefault(f => f.Number == 1).Value?.ToStringUtf8() == name && fields.FirstOrDefault(f => f.Number == 3).Varint == value;
    }

    /// <summary>A ValueInfoProto of a float [n] tensor declared as [N, n]; null for any other shape.</summary>
    private static byte[]? Batched(ByteString valueInfo)
    {
        var fields = Fields(valueInfo.ToByteArray());
        string? name = fields.FirstOrDefault(f => f.Number == 1).Value?.ToStringUtf8();
        var type = fields.FirstOrDefault(f => f.Number == 2).Value;
        var tensor = type is null ? null : Fields(type.ToByteArray()).FirstOrDefault(f => f.Number == 1).Value;
        var shape = tensor is null ? null : Fields(tensor.ToByteArray()).FirstOrDefault(f => f.Number == 2).Value;
        var dims = shape is null ? [] : Fields(shape.ToByteArray()).Where(f => f.Number == 1).ToArray();
        if (name is null || dims.Length != 1) return null;
        long? size = Fields(dims[0].Value!.ToByteArray()).FirstOrDefault(f => f.Number == 1) is { Value: null, Number: 1 } d ? d.Varint : null;
        return size is long n && n > 0 ? OnnxModelBuilder.ValueInfo(name, [null, n]).ToArray() : null;
    }

    private readonly record struct Field(int Number, ByteString? Value, long Varint, byte[] Raw);

    /// <summary>The top-level fields of a protobuf message, each with its raw bytes (tag included) for copying unchanged.</summary>
    private static List<Field> Fields(byte[] message)
    {
        var fields = new List<Field>();
        var input = new CodedInputStream(message);
        while (true)
        {
            long start = input.Position;
            uint tag = input.ReadTag();
            if (tag == 0) break;
            int number = WireFormat.GetTagFieldNumber(tag);
            ByteString? value = null;
            long varint = 0;
            switch (WireFormat.GetTagWireType(tag))
            {
                case WireFormat.WireType.LengthDelimited: value = input.ReadBytes(); break;
                case WireFormat.WireType.Varint: varint = input.ReadInt64(); break;
                default: input.SkipLastField(); break;
            }
            fields.Add(new Field(number, value, varint, message[(int)start..(int)input.Position]));
        }
        return fields;
    }

    private static void WriteMessage(Stream stream, int field, byte[] message)
    {
        var output = new CodedOutputStream(stream, leaveOpen: true);
        output.WriteTag(field, WireFormat.WireType.LengthDelimited);
        output.WriteBytes(ByteString.CopyFrom(message));
        output.Flush();
    }
}
