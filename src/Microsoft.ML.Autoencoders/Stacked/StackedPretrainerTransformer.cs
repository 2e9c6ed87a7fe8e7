using Microsoft.ML.Autoencoders.Export;
using Microsoft.ML.Data;
using Microsoft.ML.Autoencoders.Training.Data;
using Microsoft.ML.Transforms.Onnx;

namespace Microsoft.ML.Autoencoders;

/// <summary>
/// A fitted <see cref="StackedPretrainer"/>: writes the top hidden layer's activations as a feature vector and,
/// after supervised fine-tuning, the class probabilities (<c>Score</c>) and <c>PredictedLabel</c>. Scoring runs
/// the exported ONNX graph through ML.NET's <see cref="OnnxTransformer"/> and the softmax layer as ML.NET's own
/// <c>MaximumEntropyModelParameters</c>, so <c>mlContext.Model.Save</c>/<c>Load</c> need nothing from this package.
/// </summary>
public sealed class StackedPretrainerTransformer : ITransformer, IDisposable
{
    private readonly ITransformer _scorer;
    private readonly OnnxScoring _featurizer;
    private readonly byte[] _onnxModel;

    internal StackedPretrainerTransformer(ITransformer scorer, OnnxScoring featurizer, byte[] onnxModel, string inputColumnName,
        string featuresColumnName, int inputSize, int featureSize, string? scoreColumnName, string? predictedLabelColumnName, int classCount,
        PretrainedStack? pretrainedStack, IReadOnlyList<EpochReport> fineTuningHistory, int seed, long parameterCount)
    {
        _scorer = scorer;
        _featurizer = featurizer;
        _onnxModel = onnxModel;
        InputColumnName = inputColumnName;
        FeaturesColumnName = featuresColumnName;
        InputSize = inputSize;
        FeatureSize = featureSize;
        ScoreColumnName = scoreColumnName;
        PredictedLabelColumnName = predictedLabelColumnName;
        ClassCount = classCount;
        PretrainedStack = pretrainedStack;
        FineTuningHistory = fineTuningHistory;
        Seed = seed;
        ParameterCount = parameterCount;
    }

    /// <summary>Name of the input column.</summary>
    public string InputColumnName { get; }

    /// <summary>Name of the feature column (the top hidden layer, <c>vector&lt;float&gt;[FeatureSize]</c>).</summary>
    public string FeaturesColumnName { get; }

    /// <summary>Length of an input row.</summary>
    public int InputSize { get; }

    /// <summary>Length of the feature vector (the last hidden layer's size).</summary>
    public int FeatureSize { get; }

    /// <summary>Name of the class-probability column, or null when not fine-tuned with labels.</summary>
    public string? ScoreColumnName { get; }

    /// <summary>Name of the predicted-label column, or null when not fine-tuned with labels.</summary>
    public string? PredictedLabelColumnName { get; }

    /// <summary>Number of classes of the softmax output layer (0 without supervised fine-tuning).</summary>
    public int ClassCount { get; }

    /// <summary>The pretrained layers (before fine-tuning), for fine-tuning again; null for the random-initialisation baseline.</summary>
    public PretrainedStack? PretrainedStack { get; }

    /// <summary>One entry per fine-tuning epoch.</summary>
    public IReadOnlyList<EpochReport> FineTuningHistory { get; }

    /// <summary>The seed training used.</summary>
    public int Seed { get; }

    /// <summary>Trainable parameters of the fine-tuned network (hidden layers plus the output layer when supervised).</summary>
    public long ParameterCount { get; }

    /// <summary>The feature extractor as an ONNX model (input → top hidden layer), one row per call.</summary>
    public byte[] GetOnnxModel() => (byte[])_onnxModel.Clone();

    /// <inheritdoc/>
    public bool IsRowToRowMapper => true;

    /// <inheritdoc/>
    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema)
    {
        CheckInput(inputSchema);
        return _scorer.GetOutputSchema(inputSchema);
    }

    /// <inheritdoc/>
    public IRowToRowMapper GetRowToRowMapper(DataViewSchema inputSchema)
    {
        CheckInput(inputSchema);
        return _scorer.GetRowToRowMapper(inputSchema);
    }

    /// <inheritdoc/>
    public IDataView Transform(IDataView input)
    {
        CheckInput(input.Schema);
        return _scorer.Transform(input);
    }

    /// <summary>Saves the stock ML.NET transformers that do the scoring (OnnxTransformer, then the multiclass predictor).</summary>
    void ICanSaveModel.Save(ModelSaveContext ctx) => _scorer.Save(ctx);

    /// <summary>Releases the ONNX Runtime session.</summary>
    public void Dispose() => _featurizer.Dispose();

    private void CheckInput(DataViewSchema schema) => VectorColumn.RequireSize(schema, InputColumnName, InputSize);
}
