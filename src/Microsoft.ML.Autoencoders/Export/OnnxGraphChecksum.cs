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

    // onnx.proto field numbers: ModelProto.graph = 7, ModelProto.metadata_props = 14; StringStringEntryProto key = 1, value = 2.
    private const int GraphField = 7, MetadataField = 14, EntryKey = 1, EntryValue = 2;

    public static string Compute(ReadOnlySpan<byte> graph) => Convert.ToHexString(SHA256.HashData(graph));

    /// <summary>
    /// Checks an ONNX model: null when it is intact or carries no checksum of ours (another producer's graph);
    /// otherwise what is wrong. Bytes that are not an ONNX model at all also give null: ONNX Runtime will say so.
    /// </summary>
    public static string? Problem(byte[] model)
    {
        ByteString? graph = null;
        string? expected = null;
        try
        {
            var input = new CodedInputStream(model);
            uint tag;
            while ((tag = input.ReadTag()) != 0)
            {
                int field = WireFormat.GetTagFieldNumber(tag);
                if (field == GraphField && WireFormat.GetTagWireType(tag) == WireFormat.WireType.LengthDelimited) graph = input.ReadBytes();
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
        if (expected is null) return null;
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
