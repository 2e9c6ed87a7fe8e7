using Microsoft.ML.Autoencoders.Export;
using Microsoft.ML.Autoencoders.Training;
using Microsoft.ML.Autoencoders.Training.Networks;

namespace Microsoft.ML.Autoencoders;

/// <summary>Exports a trained network to ONNX and wraps it, through ML.NET's OnnxTransformer, as an <see cref="AutoencoderTransformer"/>.</summary>
internal static class AutoencoderTransformerFactory
{
    public static AutoencoderTransformer Create(IDataView input, AutoencoderNetwork network,
        AutoencoderColumns columns, TrainedNetwork trained, AutoencoderOptions options)
    {
        var onnx = AutoencoderOnnxExport.Export(network, columns);
        var scorer = OnnxScoring.Create(onnx, columns.Outputs, [columns.Input], options.GpuDeviceId, options.FallbackToCpu, input);
        return new AutoencoderTransformer(scorer, onnx, columns, network.InputSize, network.CodeSize,
            network.ParameterCount, trained.Loss, trained.Seed, trained.History, network.FirstLayerFilters(),
            AutoencoderOnnxExport.ExportBatchEncoder(network));
    }
}
