using Google.Protobuf;

namespace Microsoft.ML.Autoencoders.Export;

/// <summary>
/// Writes one protobuf message field by field. Nested messages are written to their own
/// <see cref="ProtoWriter"/> first and then embedded as length-delimited bytes.
/// Field numbers come from onnx.proto (see <see cref="OnnxModelBuilder"/>).
/// </summary>
internal sealed class ProtoWriter
{
    private readonly MemoryStream _buffer = new();
    private readonly CodedOutputStream _out;

    public ProtoWriter() => _out = new CodedOutputStream(_buffer, leaveOpen: true);

    public ProtoWriter Int64(int field, long value)
    {
        _out.WriteTag(field, WireFormat.WireType.Varint);
        _out.WriteInt64(value);
        return this;
    }

    public ProtoWriter Float(int field, float value)
    {
        _out.WriteTag(field, WireFormat.WireType.Fixed32);
        _out.WriteFloat(value);
        return this;
    }

    public ProtoWriter String(int field, string value)
    {
        _out.WriteTag(field, WireFormat.WireType.LengthDelimited);
        _out.WriteString(value);
        return this;
    }

    public ProtoWriter Bytes(int field, ReadOnlySpan<byte> value)
    {
        _out.WriteTag(field, WireFormat.WireType.LengthDelimited);
        _out.WriteBytes(ByteString.CopyFrom(value));
        return this;
    }

    public ProtoWriter Message(int field, ProtoWriter message) => Bytes(field, message.ToArray());

    public ProtoWriter PackedInt64(int field, IReadOnlyCollection<long> values)
    {
        var packed = new ProtoWriter();
        foreach (var v in values) packed._out.WriteInt64(v);
        return Bytes(field, packed.ToArray());
    }

    public byte[] ToArray()
    {
        _out.Flush();
        return _buffer.ToArray();
    }
}
