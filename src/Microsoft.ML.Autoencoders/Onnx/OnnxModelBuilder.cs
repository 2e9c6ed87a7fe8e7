using System.Runtime.InteropServices;
using Google.Protobuf;
using Microsoft.ML.Autoencoders.Onnx.Proto;

namespace Microsoft.ML.Autoencoders.Onnx;

/// <summary>
/// Builds an ONNX model (graph of nodes, float initializers, typed inputs and outputs) with the message types generated
/// from <c>onnx.proto</c>, and serialises it. TorchSharp has no ONNX exporter, so each layer writes its own nodes through
/// this builder; ML.NET's OnnxTransformer then scores and persists the model.
/// </summary>
internal sealed class OnnxModelBuilder
{
    /// <summary>ONNX IR version written (9 = ONNX 1.14+), understood by ONNX Runtime 1.16 and later.</summary>
    public const long IrVersion = 9;

    /// <summary>Default-domain operator set (20 has Gelu; MaxUnpool and ConvTranspose are older).</summary>
    public const long OpsetVersion = 20;

    /// <summary>The producer_name of every model this package exports.</summary>
    public const string ProducerName = "Microsoft.ML.Autoencoders";

    private readonly GraphProto _graph = new();
    private readonly HashSet<string> _names = [];
    private int _nextId;

    /// <summary>A fresh intermediate value name that cannot collide with column names.</summary>
    public string NewName(string hint) => $"_{hint}_{_nextId++}";

    /// <summary>Adds a float constant (weights, biases) and returns its name.</summary>
    public string AddInitializer(string hint, ReadOnlySpan<float> values, params long[] dims) =>
        AddTensor(hint, TensorProto.Types.DataType.Float, MemoryMarshal.AsBytes(values), dims);

    /// <summary>Adds an int64 constant (shapes, axes) and returns its name.</summary>
    public string AddInt64Initializer(string hint, params long[] values) =>
        AddTensor(hint, TensorProto.Types.DataType.Int64, MemoryMarshal.AsBytes(values.AsSpan()), values.Length);

    private string AddTensor(string hint, TensorProto.Types.DataType type, ReadOnlySpan<byte> littleEndian, params long[] dims)
    {
        var name = NewName(hint);
        var tensor = new TensorProto { DataType = (int)type, Name = name, RawData = ByteString.CopyFrom(littleEndian) };
        tensor.Dims.AddRange(dims);
        _graph.Initializer.Add(tensor);
        return name;
    }

    /// <summary>Adds a node with the given inputs and outputs; attributes are optional.</summary>
    public void AddNode(string opType, string[] inputs, string[] outputs, params AttributeProto[] attributes)
    {
        var node = new NodeProto { Name = NewName(opType), OpType = opType };
        node.Input.AddRange(inputs);
        node.Output.AddRange(outputs);
        node.Attribute.AddRange(attributes);
        _graph.Node.Add(node);
    }

    /// <summary>Adds a single-output node and returns the name of its output.</summary>
    public string Apply(string opType, string[] inputs, params AttributeProto[] attributes)
    {
        var output = NewName(opType.ToLowerInvariant());
        AddNode(opType, inputs, [output], attributes);
        return output;
    }

    /// <summary>Declares a float graph input; a null dimension is symbolic (any size).</summary>
    public void AddInput(string name, params long?[] dims) => _graph.Input.Add(ValueInfo(Claim(name), dims));

    /// <summary>Declares a float graph output; a null dimension is symbolic (any size).</summary>
    public void AddOutput(string name, params long?[] dims) => _graph.Output.Add(ValueInfo(Claim(name), dims));

    /// <summary>Serialises the model to ONNX protobuf bytes, its graph checksum among the metadata.</summary>
    public byte[] ToBytes(string graphName, string docString)
    {
        _graph.Name = graphName;
        _graph.DocString = docString;
        var model = new ModelProto
        {
            IrVersion = IrVersion,
            ProducerName = ProducerName,
            ProducerVersion = typeof(OnnxModelBuilder).Assembly.GetName().Version?.ToString() ?? "0",
            Graph = _graph,
        };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = OpsetVersion });
        model.MetadataProps.Add(new StringStringEntryProto { Key = OnnxGraphChecksum.Key, Value = OnnxGraphChecksum.Compute(_graph.ToByteArray()) });
        return model.ToByteArray();
    }

    private string Claim(string name)
    {
        if (!_names.Add(name))
            throw new InvalidOperationException($"The ONNX graph already has a value named '{name}'.");
        return name;
    }

    /// <summary>A ValueInfoProto for a float tensor; a null dimension is symbolic.</summary>
    public static ValueInfoProto ValueInfo(string name, long?[] dims)
    {
        var shape = new TensorShapeProto();
        for (int i = 0; i < dims.Length; i++)
            shape.Dim.Add(dims[i] is long d ? new TensorShapeProto.Types.Dimension { DimValue = d } : new TensorShapeProto.Types.Dimension { DimParam = $"d{i}" });
        var tensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float, Shape = shape };
        return new ValueInfoProto { Name = name, Type = new TypeProto { TensorType = tensorType } };
    }
}

/// <summary>ONNX node attributes (int, float, ints or string) as AttributeProto messages.</summary>
internal static class OnnxAttribute
{
    public static AttributeProto Of(string name, long value) => new() { Name = name, I = value, Type = AttributeProto.Types.AttributeType.Int };

    public static AttributeProto Of(string name, float value) => new() { Name = name, F = value, Type = AttributeProto.Types.AttributeType.Float };

    public static AttributeProto Of(string name, params long[] values)
    {
        var attribute = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
        attribute.Ints.AddRange(values);
        return attribute;
    }

    public static AttributeProto Of(string name, string value) => new() { Name = name, S = ByteString.CopyFromUtf8(value), Type = AttributeProto.Types.AttributeType.String };
}
