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
        var (problem, graphsChecked) = CheckGraphs(bytes);
        if (problem is not null)
            throw new InvalidDataException($"Model file '{filePath}' is corrupt: {problem}.");
        var context = PrivateTempFolder.Context(LoadedModelsFolder.Value);
        ITransformer model;
        try
        {
            model = context.Model.Load(new MemoryStream(bytes), out inputSchema);
        }
        catch (Exception e) when (e is not OperationCanceledException and not OutOfMemoryException)
        {
            throw new InvalidDataException($"Model file '{filePath}' is truncated or corrupt and cannot be loaded: {e.Message}", e);
        }
        // The checks above read ML.NET's private zip layout; a newer ML.NET that stored ONNX graphs elsewhere would leave
        // them unchecked, so a graph that loaded without being checked stops here rather than passing as verified.
        if (MLNetModelZip.CountOnnxTransformers(model) > graphsChecked)
        {
            (model as IDisposable)?.Dispose();
            throw new InvalidOperationException($"Model file '{filePath}' holds ONNX graphs that LoadVerified could not find in the zip " +
                $"(this ML.NET no longer stores them as '{MLNetModelZip.OnnxEntryName}' entries), so it cannot verify them; load it with Model.Load.");
        }
        return BatchedOnnxTransformer.Wrap(context, model);
    }

    /// <summary>
    /// The first ONNX graph in the zip whose checksum does not match, as "entry X: what is wrong", or null when all match
    /// (or the bytes are no zip: ML.NET's loader reports that); and how many graphs were checked.
    /// </summary>
    private static (string? Problem, int Checked) CheckGraphs(byte[] zipBytes)
    {
        try
        {
            using var zip = new ZipArchive(new MemoryStream(zipBytes), ZipArchiveMode.Read);
            int count = 0;
            foreach (var (entry, onnx, length) in MLNetModelZip.OnnxEntries(zip))
            {
                if (onnx is null) return ($"entry '{entry}' is not a complete ONNX model ({length} bytes)", count);
                if (OnnxGraphChecksum.Problem(onnx) is string problem) return ($"entry '{entry}': {problem}", count);
                count++;
            }
            return (null, count);
        }
        catch (InvalidDataException) { return (null, 0); }
    }
}
