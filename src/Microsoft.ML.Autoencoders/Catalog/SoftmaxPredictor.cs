using Microsoft.ML.Data;
using Microsoft.ML.Runtime;
using Microsoft.ML.Trainers;

namespace Microsoft.ML.Autoencoders;

/// <summary>
/// Turns a trained softmax output layer (logits = W·h + b) into ML.NET's own multiclass predictor: a
/// <see cref="MaximumEntropyModelParameters"/> (whose scores are exactly softmax(W·h + b)) inside a
/// <see cref="MulticlassPredictionTransformer{TModel}"/>. That is what writes <c>Score</c> and a key-typed
/// <c>PredictedLabel</c> that <c>mlContext.MulticlassClassification.Evaluate</c> accepts, and it saves and loads
/// with stock ML.NET. Both constructors are internal to ML.NET (unchanged since 1.0), so they are reached by
/// reflection (<see cref="MLNetInternals"/>); a test fails loudly if an ML.NET update moves them.
/// </summary>
internal static class SoftmaxPredictor
{
    /// <param name="env">The MLContext's environment.</param>
    /// <param name="weights">One row of weights per class, each as long as the feature vector.</param>
    /// <param name="bias">One bias per class.</param>
    /// <param name="schema">Schema holding the feature and label columns (the predictor's training schema).</param>
    /// <param name="featureColumn">Column the predictor reads.</param>
    /// <param name="labelColumn">Label column (its key type gives the classes).</param>
    /// <param name="scoreColumn">Column that receives the class probabilities.</param>
    /// <param name="predictedLabelColumn">Column that receives the predicted label.</param>
    public static MulticlassPredictionTransformer<MaximumEntropyModelParameters> Create(IHostEnvironment env, float[][] weights, float[] bias,
        DataViewSchema schema, string featureColumn, string labelColumn, string scoreColumn, string predictedLabelColumn)
    {
        var rows = weights.Select(w => new VBuffer<float>(w.Length, w)).ToArray();
        var model = (MaximumEntropyModelParameters)MLNetInternals.MaximumEntropyModel.Get().Invoke([env, rows, bias, weights.Length, weights[0].Length, LabelNames(schema[labelColumn]), null]);
        return (MulticlassPredictionTransformer<MaximumEntropyModelParameters>)MLNetInternals.MulticlassPredictionTransformer.Get().Invoke(
            [env, model, schema, featureColumn, labelColumn, scoreColumn, predictedLabelColumn]);
    }

    /// <summary>The label's key names when it has text key values (as ML.NET's own trainers record them), else null.</summary>
    private static string[]? LabelNames(DataViewSchema.Column label)
    {
        if (label.Annotations.Schema.GetColumnOrNull("KeyValues") is not { } kv
            || kv.Type is not VectorDataViewType { ItemType: TextDataViewType }) return null;
        var names = default(VBuffer<ReadOnlyMemory<char>>);
        label.Annotations.GetValue("KeyValues", ref names);
        return names.DenseValues().Select(n => n.ToString()).ToArray();
    }
}
