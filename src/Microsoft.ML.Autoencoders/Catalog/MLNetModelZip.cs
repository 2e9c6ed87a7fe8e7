using System.IO.Compression;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms.Onnx;

namespace Microsoft.ML.Autoencoders;

/// <summary>
/// The one place that knows how ML.NET lays out an <see cref="OnnxTransformer"/> inside a model zip (not a public
/// contract, like the members in <see cref="MLNetInternals"/>): an entry named <c>OnnxModel</c> holding a 4-byte length and
/// then the ONNX bytes (OnnxTransformer.SaveModel writes them with <c>WriteByteArray</c>, unchanged since ML.NET 1.0).
/// Callers check that the layout was found where they rely on it: <see cref="ModelLoading.LoadVerified"/> refuses a model
/// whose ONNX graphs it could not find, batched scoring falls back to row by row.
/// </summary>
internal static class MLNetModelZip
{
    /// <summary>The zip entry name OnnxTransformer saves its model under.</summary>
    public const string OnnxEntryName = "OnnxModel";

    /// <summary>Every ONNX entry of a model zip: its path, its ONNX bytes (null when the entry is not a complete length-prefixed model) and its length.</summary>
    public static IEnumerable<(string Entry, byte[]? Onnx, int Length)> OnnxEntries(ZipArchive zip)
    {
        foreach (var entry in zip.Entries.Where(e => e.Name == OnnxEntryName))
        {
            using var content = new MemoryStream();
            using (var stream = entry.Open()) stream.CopyTo(content);
            var data = content.ToArray();
            yield return (entry.FullName, data.Length >= 4 && BitConverter.ToInt32(data, 0) == data.Length - 4 ? data[4..] : null, data.Length);
        }
    }

    /// <summary>The ONNX bytes <paramref name="onnx"/> scores with, as it saves them; null when this ML.NET saves them differently.</summary>
    public static byte[]? OnnxBytesOf(MLContext ml, OnnxTransformer onnx)
    {
        using var zipStream = new MemoryStream();
        ml.Model.Save(onnx, null, zipStream);
        zipStream.Position = 0;
        using var zip = new ZipArchive(zipStream, ZipArchiveMode.Read);
        var entries = OnnxEntries(zip).ToArray();
        return entries.Length == 1 ? entries[0].Onnx : null;
    }

    /// <summary>The ONNX transformers of a loaded model (a chain's parts included).</summary>
    public static int CountOnnxTransformers(ITransformer model) => model switch
    {
        OnnxTransformer => 1,
        TransformerChain<ITransformer> chain => chain.Sum(CountOnnxTransformers),
        _ => 0,
    };
}
