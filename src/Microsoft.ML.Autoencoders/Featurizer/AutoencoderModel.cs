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
    private AutoencoderModel(OnnxScoring scoring, ITransformer? head, BatchedScoring? batched, ITransformer scorer, byte[] onnx, byte[] batchEncoder, AutoencoderColumns columns,
        AutoencoderNetwork network, TrainedNetwork trained)
    {
        Scoring = scoring;
        Head = head;
        Batched = batched;
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

    /// <summary>The family's stock transformers after the graph's outputs, if any.</summary>
    public ITransformer? Head { get; }

    /// <summary>The same graph scored on blocks of rows, for <c>Transform</c> (null when the graph scores one row at a time only).</summary>
    public BatchedScoring? Batched { get; }

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
        BatchedScoring? batched = null;
        try
        {
            var head = createHead(scoring.Transformer.GetOutputSchema(input.Schema));
            ITransformer scorer = head is null ? scoring.Transformer : new TransformerChain<ITransformer>(scoring.Transformer, head);
            batched = BatchedScoring.TryCreate(onnx, options.GpuDeviceId, options.FallbackToCpu);
            return new AutoencoderModel(scoring, head, batched, scorer, onnx, AutoencoderOnnxExport.ExportBatchEncoder(network), columns, network, trained);
        }
        catch
        {
            batched?.Dispose();
            scoring.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The graph's outputs added to <paramref name="input"/>, then the head: on blocks of rows when the graph allows it,
    /// otherwise row by row through the OnnxTransformer (same columns, same values) — always on the reading thread
    /// (<see cref="Lifetime.SerialDataView"/>), so that disposal can wait for every read in flight.
    /// </summary>
    public IDataView Transform(IDataView input)
    {
        var scored = Batched?.Transform(input, Scoring.Transformer.GetOutputSchema(input.Schema)) ?? Lifetime.SerialDataView.Of(Scoring.Transformer, input);
        return Head is null ? scored : Lifetime.SerialDataView.Of(Head, scored);
    }

    public void Dispose()
    {
        Batched?.Dispose();
        Scoring.Dispose();
    }
}
