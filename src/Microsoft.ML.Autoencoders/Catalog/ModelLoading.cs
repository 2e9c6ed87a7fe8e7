namespace Microsoft.ML.Autoencoders;

/// <summary>Loading saved models with errors that say which file is bad.</summary>
public static class ModelLoading
{
    /// <summary>
    /// Loads a model saved with <c>mlContext.Model.Save</c> (any ML.NET model, including pipelines with an
    /// autoencoder featurizer), like <see cref="ModelOperationsCatalog.Load(string, out DataViewSchema)"/>,
    /// but a missing, truncated or corrupt file gives an exception whose message names the file.
    /// The file is only read, never modified.
    /// </summary>
    /// <param name="catalog">The model catalog (<c>mlContext.Model</c>).</param>
    /// <param name="filePath">Path of the model zip.</param>
    /// <param name="inputSchema">The schema the model was saved with.</param>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is not a complete, valid ML.NET model.</exception>
    public static ITransformer LoadAutoencoderModel(this ModelOperationsCatalog catalog, string filePath, out DataViewSchema inputSchema)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentException.ThrowIfNullOrEmpty(filePath);
        if (!File.Exists(filePath)) throw new FileNotFoundException($"Model file '{filePath}' does not exist.", filePath);
        try
        {
            using var stream = File.OpenRead(filePath);
            return catalog.Load(stream, out inputSchema);
        }
        catch (Exception e) when (e is not OperationCanceledException and not OutOfMemoryException)
        {
            throw new InvalidDataException($"Model file '{filePath}' is truncated or corrupt and cannot be loaded: {e.Message}", e);
        }
    }
}
