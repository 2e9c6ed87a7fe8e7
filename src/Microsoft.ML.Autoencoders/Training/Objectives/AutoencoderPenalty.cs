using Microsoft.ML.Autoencoders.Training.Objectives;
using static TorchSharp.torch;

namespace Microsoft.ML.Autoencoders;

/// <summary>
/// A term added to an autoencoder's training loss (beside the reconstruction loss), such as
/// <see cref="ContractivePenalty"/>. Put penalties in <see cref="AutoencoderOptions.Penalties"/>: every family
/// applies them, and <see cref="StackedPretrainer"/> applies them to each layer it pretrains. Scoring never sees them.
/// </summary>
public abstract class AutoencoderPenalty
{
    private protected AutoencoderPenalty() { }

    /// <summary>The penalty of one training batch (a scalar tensor, already weighted).</summary>
    internal abstract Tensor Compute(ObjectiveBatch batch);

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the setting that makes no sense; <paramref name="option"/> names where the penalty sits.</summary>
    internal abstract void Validate(string option);
}
