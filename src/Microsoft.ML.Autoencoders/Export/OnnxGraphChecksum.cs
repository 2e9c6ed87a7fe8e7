using System.Security.Cryptography;
using Google.Protobuf;

namespace Microsoft.ML.Autoencoders.Export;

/// <summary>
/// A SHA-256 of an exported graph (nodes and weights), kept in the ONNX model's own <c>metadata_props</c>, so that a
/// model file whose weights were altered or damaged is recognised when it is loaded (ML.NET's model zip checks
/// nothing inside an entry, and a zip can be rewritten with fresh CRCs).
/// </summary>
internal static class OnnxGraphChecksum
{
    /// <summary>The metadata key holding the hexadecimal SHA-256 of the serialized GraphProto.</summary>
    public const string Key = "Microsoft.ML.Autoencoders.GraphSha256";

    // onnx.proto field numbers: ModelProto.producer_name = 2, graph = 7, metadata_props = 14; StringStringEntryProto key = 1, value = 2.
    private const int ProducerField = 2, GraphField = 7, MetadataField = 14, EntryKey = 1, EntryValue = 2;

    public static string Compute(ReadOnlySpan<byte> graph) => Convert.ToHexString(SHA256.HashData(graph));

    /// <summary>
    /// Checks an ONNX model: null when it is intact, or is another producer's graph (no checksum, another producer_name);
    /// otherwise what is wrong — a graph that names this package as its producer must carry its checksum, so deleting the
    /// checksum entry does not let an altered graph through. Bytes that are not an ONNX model at all also give null: ONNX
    /// Runtime will say so. This detects damage and casual edits, not a forger who also rewrites the producer name: it is
    /// not a signature.
    /// </summary>
    public static string? Problem(byte[] model)
    {
        ByteString? graph = null;
        string? expected = null, producer = null;
        try
        {
            var input = new CodedInputStream(model);
            uint tag;
            while ((tag = input.ReadTag()) != 0)
            {
                int field = WireFormat.GetTagFieldNumber(tag);
                if (field == GraphField && WireFormat.GetTagWireType(tag) == WireFormat.WireType.LengthDelimited) graph = input.ReadBytes();
                else if (field == ProducerField && WireFormat.GetTagWireType(tag) == WireFormat.WireType.LengthDelimited) producer = input.ReadString();
                else if (field == MetadataField && WireFormat.GetTagWireType(tag) == WireFormat.WireType.LengthDelimited)
                {
                    var (key, value) = ReadEntry(input.ReadBytes());
                    if (key == Key) expected = value;
                }
                else input.SkipLastField();
            }
        }
        catch (InvalidProtocolBufferException e)
        {
            return $"it is not a readable ONNX model ({e.Message})";
        }
        if (expected is null)
            return producer == OnnxModelBuilder.ProducerName
                ? $"the ONNX graph names {OnnxModelBuilder.ProducerName} as its producer but carries no checksum ('{Key}' was removed: the model was altered)"
                : null;
        if (graph is null) return "the ONNX model has a checksum but no graph";
        return Compute(graph.Span) == expected ? null : "the ONNX graph does not match the checksum saved with it (its weights or nodes were altered or damaged)";
    }

    private static (string? Key, string? Value) ReadEntry(ByteString entry)
    {
        var input = entry.CreateCodedInput();
        string? key = null, value = null;
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            switch (WireFormat.GetTagFieldNumber(tag))
            {
                case EntryKey: key = input.ReadString(); break;
                case EntryValue: value = input.ReadString(); break;
                default: input.SkipLastField(); break;
            }
        }
        return (key, value);
    }
}
