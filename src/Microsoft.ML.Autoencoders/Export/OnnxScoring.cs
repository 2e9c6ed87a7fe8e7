using Microsoft.ML.Transforms.Onnx;

namespace Microsoft.ML.Autoencoders.Export;

/// <summary>
/// An exported graph as ML.NET's <see cref="OnnxTransformer"/> (which scores it and saves it in model zips), with the
/// private folder that holds its temporary model file; disposing this disposes the transformer and deletes the folder.
/// </summary>
internal sealed class OnnxScoring : IDisposable
{
    private readonly string _folder;

    private OnnxScoring(OnnxTransformer transformer, string folder)
    {
        Transformer = transformer;
        _folder = folder;
    }

    public OnnxTransformer Transformer { get; }

    /// <summary>An OnnxTransformer over <paramref name="onnx"/> reading <paramref name="inputs"/> and writing <paramref name="outputs"/>.</summary>
    public static OnnxScoring Create(byte[] onnx, string[] outputs, string[] inputs, int? gpuDeviceId, bool fallbackToCpu, IDataView input)
    {
        var folder = PrivateTempFolder.CreateFolder();
        try
        {
            var transformer = PrivateTempFolder.Context(folder).Transforms
                .ApplyOnnxModel(outputs, inputs, new MemoryStream(onnx), gpuDeviceId, fallbackToCpu).Fit(input);
            return new OnnxScoring(transformer, folder);
        }
        catch
        {
            PrivateTempFolder.Delete(folder);
            throw;
        }
    }

    public void Dispose()
    {
        Transformer.Dispose();
        PrivateTempFolder.Delete(_folder);
    }
}
