using System.IO.Compression;
using Microsoft.ML.Autoencoders.Export;
using Microsoft.ML.Autoencoders.Onnx;

namespace Microsoft.ML.Autoencoders;

/// <summary>Loading saved models with errors that say which file is bad.</summary>
public static class ModelLoading
{
    /// <summary>Holds the ONNX copies of loaded models (ML.NET keeps them until the process exits).</summary>
    private static readonly Lazy<string> LoadedModelsFolder = new(PrivateTempFolder.CreateFolder);

    /// <summary>
    /// Loads a model saved with <c>mlContext.Model.Save</c> (any ML.NET model, including pipelines with an
    /// autoencoder featurizer), like <see cref="ModelOperationsCatalog.Load(string, out DataViewSchema)"/>,
    /// but a missing, truncated or corrupt file gives an exception whose message names the file, and every autoencoder
    /// graph in it is checked against the SHA-256 saved with it, so altered weights are refused rather than scored.
    /// The ONNX copies that scoring needs go to a folder only this user can read, removed when the process ends. The file is only read, never modified.
    /// An autoencoder in the model scores blocks of rows in <c>Transform</c> (stock <c>mlContext.Model.Load</c> gives ML.NET's
    /// OnnxTransformer, which scores one row per ONNX Runtime call); PredictionEngine, schemas and saving are unchanged.
    /// </summary>
    /// <param name="catalog">The model catalog (<c>mlContext.Model</c>).</param>
    /// <param name="filePath">Path of the model zip.</param>
    /// <param name="inputSchema">The schema the model was saved with.</param>
    /// <exception cref="FileNotFoundException">The file does not exist (or is a folder).</exception>
    /// <exception cref="InvalidDataException">The file is not a complete, valid ML.NET model, or an autoencoder graph in it was altered.</exception>
    public static ITransformer LoadVerified(this ModelOperationsCatalog catalog, string filePath, out DataViewSchema inputSchema)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentException.ThrowIfNullOrEmpty(filePath);
        if (Directory.Exists(filePath)) throw new FileNotFoundException($"Model path '{filePath}' is a folder, not a model file.", filePath);
        if (!File.Exists(filePath)) throw new FileNotFoundException($"Model file '{filePath}' does not exist.", filePath);
        byte[] bytes;
        try { bytes = File.ReadAllBytes(filePath); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new IOException($"Model file '{filePath}' cannot be read: {e.Message}", e);
        }
        if (FirstAlteredGraph(bytes) is string problem)
            throw new InvalidDataException($"Model file '{filePath}' is corrupt: {problem}.");
        try
        {
            var context = PrivateTempFolder.Context(LoadedModelsFolder.Value);
            return BatchedOnnxTransformer.Wrap(context, context.Model.Load(new MemoryStream(bytes), out inputSchema));
        }
        catch (Exception e) when (e is not OperationCanceledException and not OutOfMemoryException)
        {
            throw new InvalidDataException($"Model file '{filePath}' is truncated or corrupt and cannot be loaded: {e.Message}", e);
        }
    }

    /// <summary>
    /// The first ONNX graph in the zip whose checksum does not match, as "entry X: what is wrong"; null when all match
    /// (or the bytes are no zip: ML.NET's loader reports that). ML.NET stores an OnnxTransformer's model in an entry
    /// named <c>…/OnnxModel</c> as a 4-byte length and the ONNX bytes.
    /// </summary>
    private static string? FirstAlteredGraph(byte[] zipBytes)
    {
        try
        {
            using var zip = new ZipArchive(new MemoryStream(zipBytes), ZipArchiveMode.Read);
            foreach (var entry in zip.Entries.Where(e => e.Name == "OnnxModel"))
            {
                using var content = new MemoryStream();
                using (var stream = entry.Open()) stream.CopyTo(content);
                var data = content.ToArray();
                if (data.Length < 4 || BitConverter.ToInt32(data, 0) != data.Length - 4)
                    return $"entry '{entry.FullName}' is not a complete ONNX model ({data.Length} bytes)";
                if (OnnxGraphChecksum.Problem(data[4..]) is string problem) return $"entry '{entry.FullName}': {problem}";
            }
            return null;
        }
        catch (InvalidDataException) { return null; }
    }
}
