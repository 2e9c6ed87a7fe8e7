namespace Microsoft.ML.Autoencoders;

/// <summary>
/// A fitted <see cref="StackedPretrainer"/>: an <see cref="AutoencoderTransformer"/> whose code is the top hidden layer
/// and which, after supervised fine-tuning, also writes the class probabilities (<c>Score</c>) and <c>PredictedLabel</c>
/// through ML.NET's own <c>MaximumEntropyModelParameters</c>, so <c>mlContext.Model.Save</c>/<c>Load</c> need nothing
/// from this package. <see cref="AutoencoderTransformer.TrainingHistory"/> is the fine-tuning history; each pretrained
/// layer's is in <see cref="PretrainedStack"/>.
/// </summary>
public sealed class StackedPretrainerTransformer : AutoencoderTransformer
{
    internal StackedPretrainerTransformer(AutoencoderModel model, PretrainedStack? pretrainedStack, int classCount, string? scoreColumnName, string? predictedLabelColumnName)
        : base(model)
    {
        PretrainedStack = pretrainedStack;
        ClassCount = classCount;
        ScoreColumnName = scoreColumnName;
        PredictedLabelColumnName = predictedLabelColumnName;
    }

    /// <summary>Name of the class-probability column, or null when not fine-tuned with labels.</summary>
    public string? ScoreColumnName { get; }

    /// <summary>Name of the predicted-label column, or null when not fine-tuned with labels.</summary>
    public string? PredictedLabelColumnName { get; }

    /// <summary>Number of classes of the softmax output layer (0 without supervised fine-tuning).</summary>
    public int ClassCount { get; }

    /// <summary>The pretrained layers (before fine-tuning), for fine-tuning again; null for the random-initialisation baseline.</summary>
    public PretrainedStack? PretrainedStack { get; }
}
