using Microsoft.ML.Autoencoders.Export;
using Microsoft.ML.Autoencoders.Training;
using Microsoft.ML.Autoencoders.Training.Networks;
using Microsoft.ML.Data;

namespace Microsoft.ML.Autoencoders;

/// <summary>
/// Everything a fitted autoencoder holds, made once from a trained network: the exported ONNX graph scored by ML.NET's
/// OnnxTransformer (in its private temporary folder), the family's output head after it, the batched encoder graph, and
/// what was learned about training. Disposing it releases the ONNX Runtime session.
/// </summary>
internal sealed class AutoencoderModel : IDisposable
{
    private AutoencoderModel(OnnxScoring scoring, ITransformer scorer, byte[] onnx, byte[] batchEncoder, AutoencoderColumns columns,
        AutoencoderNetwork network, TrainedNetwork trained)
    {
        Scoring = scoring;
        Scorer = scorer;
        Onnx = onnx;
        BatchEncoder = batchEncoder;
        Columns = columns;
        InputSize = network.InputSize;
        CodeSize = network.CodeSize;
        ParameterCount = trained.ParameterCount ?? network.ParameterCount;
        FirstLayerFilters = network.FirstLayerFilters();
        Loss = trained.Loss;
        Seed = trained.Seed;
        History = trained.History;
    }

    public OnnxScoring Scoring { get; }

    /// <summary>The OnnxTransformer, followed by the head when there is one.</summary>
    public ITransformer Scorer { get; }

    public byte[] Onnx { get; }
    public byte[] BatchEncoder { get; }
    public AutoencoderColumns Columns { get; }
    public int InputSize { get; }
    public int CodeSize { get; }
    public long ParameterCount { get; }
    public float[][] FirstLayerFilters { get; }
    public ReconstructionLoss Loss { get; }
    public int Seed { get; }
    public IReadOnlyList<EpochReport> History { get; }

    public static AutoencoderModel Create(IDataView input, TrainedNetwork trained, AutoencoderColumns columns, AutoencoderTrainingOptions options,
        Func<DataViewSchema, ITransformer?> createHead)
    {
        var network = trained.Network;
        var onnx = AutoencoderOnnxExport.Export(network, columns);
        var scoring = OnnxScoring.Create(onnx, columns.Outputs, [columns.Input], options.GpuDeviceId, options.FallbackToCpu, input);
        try
        {
            var head = createHead(scoring.Transformer.GetOutputSchema(input.Schema));
            ITransformer scorer = head is null ? scoring.Transformer : new TransformerChain<ITransformer>(scoring.Transformer, head);
            return new AutoencoderModel(scoring, scorer, onnx, AutoencoderOnnxExport.ExportBatchEncoder(network), columns, network, trained);
        }
        catch
        {
            scoring.Dispose();
            throw;
        }
    }

    public void Dispose() => Scoring.Dispose();
}
