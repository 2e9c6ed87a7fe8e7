using static TorchSharp.torch;

namespace Microsoft.ML.Autoencoders;

/// <summary>The loss an autoencoder minimises between its input and its reconstruction.</summary>
public enum ReconstructionLoss
{
    /// <summary>
    /// Chosen from the training data: <see cref="BinaryCrossEntropy"/> when every input value lies in [0, 1]
    /// (pixel intensities, proportions), <see cref="MeanSquaredError"/> otherwise.
    /// </summary>
    Auto,
    /// <summary>Sigmoid output layer with binary cross-entropy, for inputs in [0, 1].</summary>
    BinaryCrossEntropy,
    /// <summary>Linear output layer with squared error, for unbounded inputs.</summary>
    MeanSquaredError,
    /// <summary>
    /// Softmax output layer with cross-entropy against the input row scaled to sum to 1, for non-negative rows that
    /// describe a distribution, such as word counts of a document: the reconstruction is the word distribution
    /// (the deep document autoencoder of Hinton &amp; Salakhutdinov, 2006). Never chosen by <see cref="Auto"/>.
    /// </summary>
    MultinomialCrossEntropy,
}

internal static class ReconstructionLossFunctions
{
    /// <summary>
    /// Loss per row summed over the row's values, averaged over the batch.
    /// <paramref name="raw"/> is the decoder output (logits for BCE), <paramref name="target"/> the clean input.
    /// </summary>
    public static Tensor Compute(ReconstructionLoss loss, Tensor raw, Tensor target) => loss switch
    {
        ReconstructionLoss.BinaryCrossEntropy =>
            nn.functional.binary_cross_entropy_with_logits(raw, target, reduction: nn.Reduction.Sum) / raw.shape[0],
        ReconstructionLoss.MeanSquaredError =>
            nn.functional.mse_loss(raw, target, reduction: nn.Reduction.Sum) / raw.shape[0],
        ReconstructionLoss.MultinomialCrossEntropy =>
            -(Distribution(target) * nn.functional.log_softmax(raw, 1)).sum() / raw.shape[0],
        _ => throw new InvalidOperationException("The reconstruction loss must be resolved from the data before training."),
    };

    /// <summary>The loss of each row, summed over its values: shape [N].</summary>
    public static Tensor PerRow(ReconstructionLoss loss, Tensor raw, Tensor target) => loss switch
    {
        ReconstructionLoss.BinaryCrossEntropy =>
            nn.functional.binary_cross_entropy_with_logits(raw, target, reduction: nn.Reduction.None).sum(1),
        ReconstructionLoss.MeanSquaredError => nn.functional.mse_loss(raw, target, reduction: nn.Reduction.None).sum(1),
        ReconstructionLoss.MultinomialCrossEntropy => -(Distribution(target) * nn.functional.log_softmax(raw, 1)).sum(1),
        _ => throw new InvalidOperationException("The reconstruction loss must be resolved from the data before training."),
    };

    /// <summary>Each row divided by its sum (all-zero rows stay zero).</summary>
    public static Tensor Distribution(Tensor rows) => rows / rows.sum(1, keepdim: true).clamp_min(1e-12);
}
