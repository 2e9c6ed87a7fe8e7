using Microsoft.ML.Autoencoders.Training.Networks;
using Microsoft.ML.Autoencoders.Training.Objectives;
using static TorchSharp.torch;

namespace Microsoft.ML.Autoencoders;

/// <summary>
/// β · KL(q(z|x) ‖ N(0, I)) for a diagonal Gaussian q: ½ Σⱼ (μⱼ² + σⱼ² − 1 − log σⱼ²) per row, averaged over the batch;
/// its weight rises linearly from 0 to β over <paramref name="warmupSteps"/> optimiser steps (KL warm-up); with free bits
/// λ &gt; 0, each code dimension's batch-mean KL counts as at least λ nats (Kingma et al. 2016), so no dimension is pushed
/// all the way to the prior (posterior collapse). Built by <see cref="VariationalAutoencoderOptions"/> for each training run.
/// </summary>
internal sealed class VariationalKlTerm(double beta, long warmupSteps, double freeBits) : AutoencoderPenalty
{
    private long _steps;

    internal override Tensor Compute(ObjectiveBatch batch)
    {
        if (batch.Pass is not VariationalPass pass)
            throw new InvalidOperationException($"The KL term needs a variational network's pass; {batch.Network.GetType().Name} gave {batch.Pass.GetType().Name}.");
        var kl = Divergence(pass.Mean, pass.LogVariance);
        var total = freeBits > 0 ? kl.mean([0]).clamp_min(freeBits).sum() : kl.sum(1).mean();
        double weight = beta * (warmupSteps > 0 ? Math.Min(1, ++_steps / (double)warmupSteps) : 1);
        return weight * total;
    }

    /// <summary>KL(N(μ, σ²) ‖ N(0, 1)) per row and code dimension, [N, d].</summary>
    public static Tensor Divergence(Tensor mean, Tensor logVariance) => 0.5 * (mean.pow(2) + logVariance.exp() - 1 - logVariance);

    internal override void Validate(string option) { }
}
