namespace Microsoft.ML.Autoencoders.Training;

/// <summary>The optimisation settings the shared loop needs, independent of the network family.</summary>
internal sealed record TrainingSettings(
    OptimizerKind Optimizer,
    double LearningRate,
    double Momentum,
    double WeightDecay,
    int Epochs,
    LearningRateSchedule Schedule,
    int EarlyStoppingPatience)
{
    /// <summary>Learning rate for a 1-based epoch.</summary>
    public double LearningRateAt(int epoch) => Schedule switch
    {
        // Cosine from LearningRate at epoch 1 down to LearningRate/Epochs... at the last one (never exactly zero).
        LearningRateSchedule.Cosine => LearningRate * 0.5 * (1 + Math.Cos(Math.PI * (epoch - 1) / Epochs)),
        LearningRateSchedule.Constant => LearningRate,
        _ => throw new ArgumentOutOfRangeException(nameof(Schedule), Schedule, "Unknown learning-rate schedule."),
    };
}
