namespace Microsoft.ML.Autoencoders;

/// <summary>What <see cref="StackedPretrainer"/> does after greedy layer-wise pretraining.</summary>
public enum StackedFineTuning
{
    /// <summary>
    /// Adds a softmax output layer over the label's classes and trains the whole stack with backpropagation on
    /// the labelled rows. The transformer then also writes <c>Score</c> and <c>PredictedLabel</c>.
    /// </summary>
    Supervised,
    /// <summary>
    /// Unrolls the stack into a deep autoencoder (encoder plus mirrored decoder, initialised from the pretrained
    /// layers) and fine-tunes it on reconstruction over all rows (Hinton &amp; Salakhutdinov 2006).
    /// </summary>
    Unsupervised,
    /// <summary>Keeps the pretrained layers as they are.</summary>
    None,
    /// <summary>
    /// Trains the stack with a softmax output layer as a Ladder network (Rasmus et al. 2015): the cross-entropy of a
    /// noise-corrupted pass on the labelled rows plus, on every row, a denoising reconstruction of every layer of the clean
    /// pass (batch-normalised), weighted by <see cref="StackedPretrainerOptions.LadderReconstructionWeights"/>. Unlabelled
    /// rows teach the classifier directly, not through pretraining only; usually with <c>Pretrain = false</c>. The
    /// transformer writes <c>Score</c> and <c>PredictedLabel</c> as with <see cref="Supervised"/>.
    /// </summary>
    Ladder,
}
