using System.Runtime.InteropServices;

namespace Microsoft.ML.Autoencoders.Export;

/// <summary>
/// Builds an ONNX model (graph of nodes, float initializers, typed inputs and outputs) and serialises it
/// to the ONNX protobuf format. TorchSharp has no ONNX exporter, so each network writes its own graph
/// through this builder; ML.NET's OnnxTransformer then scores and persists it.
/// </summary>
internal sealed class OnnxModelBuilder
{
    /// <summary>ONNX IR version written (9 = ONNX 1.14+), understood by ONNX Runtime 1.16 and later.</summary>
    public const long IrVersion = 9;

    /// <summary>Default-domain operator set (20 has Gelu; MaxUnpool and ConvTranspose are older).</summary>
    public const long OpsetVersion = 20;

    /// <summary>The producer_name of every model this package exports.</summary>
    public const string ProducerName = "Microsoft.ML.Autoencoders";

    private const int FloatType = 1;
    private const int Int64Type = 7;

    private readonly List<ProtoWriter> _nodes = [];
    private readonly List<ProtoWriter> _initializers = [];
    private readonly List<ProtoWriter> _inputs = [];
    private readonly List<ProtoWriter> _outputs = [];
    private readonly HashSet<string> _names = [];
    private int _nextId;

    /// <summary>A fresh intermediate value name that cannot collide with column names.</summary>
    public string NewName(string hint) => $"_{hint}_{_nextId++}";

    /// <summary>Adds a float constant (weights, biases) and returns its name.</summary>
    public string AddInitializer(string hint, ReadOnlySpan<float> values, params long[] dims)
    {
        var name = NewName(hint);
        var tensor = new ProtoWriter();
        foreach (var d in dims) tensor.Int64(1, d);                // dims
        tensor.Int64(2, FloatType)                                  // data_type
              .String(8, name)                                      // name
              .Bytes(9, MemoryMarshal.AsBytes(values));             // raw_data (little-endian)
        _initializers.Add(tensor);
        return name;
    }

    /// <summary>Adds an int64 constant (shapes, axes) and returns its name.</summary>
    public string AddInt64Initializer(string hint, params long[] values)
    {
        var name = NewName(hint);
        var tensor = new ProtoWriter().Int64(1, values.Length).Int64(2, Int64Type).String(8, name)
            .Bytes(9, MemoryMarshal.AsBytes(values.AsSpan()));
        _initializers.Add(tensor);
        return name;
    }

    /// <summary>Adds a node with the given inputs and outputs; attributes are optional.</summary>
    public void AddNode(string opType, string[] inputs, string[] outputs, params OnnxAttribute[] attributes)
    {
        var node = new ProtoWriter();
        foreach (var i in inputs) node.String(1, i);
        foreach (var o in outputs) node.String(2, o);
        node.String(3, NewName(opType)).String(4, opType);
        foreach (var a in attributes) node.Message(5, a.ToProto());
        _nodes.Add(node);
    }

    /// <summary>Adds a single-output node and returns the name of its output.</summary>
    public string Apply(string opType, string[] inputs, params OnnxAttribute[] attributes)
    {
        var output = NewName(opType.ToLowerInvariant());
        AddNode(opType, inputs, [output], attributes);
        return output;
    }

    /// <summary>Declares a float graph input; a null dimension is symbolic (any size).</summary>
    public void AddInput(string name, params long?[] dims) => _inputs.Add(ValueInfo(Claim(name), dims));

    /// <summary>Declares a float graph output; a null dimension is symbolic (any size).</summary>
    public void AddOutput(string name, params long?[] dims) => _outputs.Add(ValueInfo(Claim(name), dims));

    /// <summary>Serialises the model to ONNX protobuf bytes.</summary>
    public byte[] ToBytes(string graphName, string docString)
    {
        var graph = new ProtoWriter();
        foreach (var n in _nodes) graph.Message(1, n);
        graph.String(2, graphName);
        foreach (var t in _initializers) graph.Message(5, t);
        graph.String(10, docString);
        foreach (var i in _inputs) graph.Message(11, i);
        foreach (var o in _outputs) graph.Message(12, o);

        var graphBytes = graph.ToArray();
        var opset = new ProtoWriter().String(1, "").Int64(2, OpsetVersion);
        var checksum = new ProtoWriter().String(1, OnnxGraphChecksum.Key).String(2, OnnxGraphChecksum.Compute(graphBytes));
        return new ProtoWriter()
            .Int64(1, IrVersion)                       // ir_version
            .String(2, ProducerName)                   // producer_name
            .String(3, typeof(OnnxModelBuilder).Assembly.GetName().Version?.ToString() ?? "0")
            .Bytes(7, graphBytes)                      // graph
            .Message(8, opset)                         // opset_import
            .Message(14, checksum)                     // metadata_props
            .ToArray();
    }

    private string Claim(string name)
    {
        if (!_names.Add(name))
            throw new InvalidOperationException($"The ONNX graph already has a value named '{name}'.");
        return name;
    }

    /// <summary>A ValueInfoProto for a float tensor; a null dimension is symbolic.</summary>
    public static ProtoWriter ValueInfo(string name, long?[] dims)
    {
        var shape = new ProtoWriter();
        for (int i = 0; i < dims.Length; i++)
        {
            var dim = new ProtoWriter();
            if (dims[i] is long d) dim.Int64(1, d); else dim.String(2, $"d{i}");
            shape.Message(1, dim);
        }
        var tensorType = new ProtoWriter().Int64(1, FloatType).Message(2, shape);
        var type = new ProtoWriter().Message(1, tensorType);
        return new ProtoWriter().String(1, name).Message(2, type);
    }
}

/// <summary>An ONNX node attribute (int, float, ints or string).</summary>
internal readonly record struct OnnxAttribute(string Name, long? Int = null, float? Float = null, long[]? Ints = null, string? Text = null)
{
    public static OnnxAttribute Of(string name, long value) => new(name, Int: value);
    public static OnnxAttribute Of(string name, float value) => new(name, Float: value);
    public static OnnxAttribute Of(string name, params long[] values) => new(name, Ints: values);
    public static OnnxAttribute Of(string name, string value) => new(name, Text: value);

    // AttributeProto: name=1, f=2, i=3, s=4, ints=8, type=20 (FLOAT=1, INT=2, STRING=3, INTS=7).
    public ProtoWriter ToProto()
    {
        var a = new ProtoWriter().String(1, Name);
        if (Int is long i) a.Int64(3, i).Int64(20, 2);
        else if (Float is float f) a.Float(2, f).Int64(20, 1);
        else if (Ints is long[] ints) { foreach (var v in ints) a.Int64(8, v); a.Int64(20, 7); }
        else if (Text is string s) a.Bytes(4, System.Text.Encoding.UTF8.GetBytes(s)).Int64(20, 3);
        return a;
    }
}
