using Microsoft.ML.Autoencoders.Training.Objectives;
using static TorchSharp.torch;

namespace Microsoft.ML.Autoencoders;

/// <summary>
/// The contractive autoencoder's penalty (Rifai et al. 2011): λ · ‖∂h/∂x‖²_F, the squared Frobenius norm of the
/// encoder's Jacobian at each training row, averaged over the batch. It makes the code insensitive to small moves of
/// the input in every direction the data does not vary along. Add it to any family's options —
/// <c>new AutoencoderOptions { Penalties = [new ContractivePenalty { Weight = 0.01 }] }</c> — or to a
/// <see cref="StackedPretrainerOptions"/> to pretrain each layer of a stack as a contractive autoencoder (the CAE paper's recipe).
/// </summary>
/// <remarks>
/// For an encoder that is one fully connected layer with a linear, ReLU, leaky ReLU, tanh or sigmoid code (every layer of
/// a stack being pretrained), the norm is computed exactly: Σⱼ σ′(aⱼ)² ‖Wⱼ‖². For deeper or convolutional encoders it is
/// estimated without bias from one Jacobian-vector product per row, ‖Jᵀv‖² with v a random ±1 vector (Hutchinson), which
/// costs about one more backward pass per step.
/// </remarks>
public sealed class ContractivePenalty : AutoencoderPenalty
{
    /// <summary>Default <see cref="Weight"/>: the best of 0.001 / 0.01 / 0.1 / 1 for a ReLU stack on held-out MNIST (sample <c>pretrain --validation</c>).</summary>
    public const double DefaultWeight = 0.01;

    /// <summary>λ, the weight of the penalty against the reconstruction loss (per row, summed over the row's values).</summary>
    public double Weight { get; set; } = DefaultWeight;

    internal override Tensor Compute(ObjectiveBatch batch) => Weight * EncoderJacobian.SquaredNorm(batch.Network, batch.Input, batch.Pass.Code);

    internal override void Validate(string option)
    {
        if (!(Weight >= 0) || !double.IsFinite(Weight))
            throw new ArgumentOutOfRangeException(option, Weight, $"Option '{option}' (ContractivePenalty) has Weight {Weight}; the weight must be zero or positive.");
    }
}
