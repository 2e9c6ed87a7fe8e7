using System.Security.Cryptography;
using Google.Protobuf;
using Microsoft.ML.Autoencoders.Onnx.Proto;

namespace Microsoft.ML.Autoencoders.Onnx;

/// <summary>
/// A SHA-256 of an exported graph (nodes and weights), kept in the ONNX model's own <c>metadata_props</c>, so that a
/// model file whose weights were altered or damaged is recognised when it is loaded (ML.NET's model zip checks
/// nothing inside an entry, and a zip can be rewritten with fresh CRCs).
/// </summary>
internal static class OnnxGraphChecksum
{
    /// <summary>The metadata key holding the hexadecimal SHA-256 of the serialized GraphProto.</summary>
    public const string Key = "Microsoft.ML.Autoencoders.GraphSha256";

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
        ModelProtoStoredGraph stored;
        try
        {
            stored = ModelProtoStoredGraph.Parser.ParseFrom(model);
        }
        catch (InvalidProtocolBufferException e)
        {
            return $"it is not a readable ONNX model ({e.Message})";
        }
        // As onnx.proto says of metadata_props' keys, "should be distinct"; a second entry with our key counts as well (the last one).
        string? expected = stored.MetadataProps.LastOrDefault(p => p.Key == Key)?.Value;
        if (expected is null)
            return stored.ProducerName == OnnxModelBuilder.ProducerName
                ? $"the ONNX graph names {OnnxModelBuilder.ProducerName} as its producer but carries no checksum ('{Key}' was removed: the model was altered)"
                : null;
        if (!stored.HasGraph) return "the ONNX model has a checksum but no graph";
        return Compute(stored.Graph.Span) == expected ? null : "the ONNX graph does not match the checksum saved with it (its weights or nodes were altered or damaged)";
    }
}
