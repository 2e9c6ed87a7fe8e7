using static TorchSharp.torch;

namespace Microsoft.ML.Autoencoders.Training.Regularization;

/// <summary>
/// Sparsity penalties on the code activations h (shape [batch, units]), added to the per-row loss:
/// <list type="bullet">
/// <item>L1: λ · mean over rows of Σⱼ |hⱼ|.</item>
/// <item>KL: β · Σⱼ KL(ρ ‖ ρ̂ⱼ), ρ̂ⱼ the batch mean of unit j (which must lie in (0, 1): a sigmoid code layer),
/// as MATLAB's SparsityProportion / SparsityRegularization.</item>
/// </list>
/// These are what make an over-complete layer learn features instead of copying its input.
/// </summary>
internal sealed record CodePenalty(double L1Weight, double? SparsityTarget, double SparsityWeight)
{
    public static CodePenalty From(AutoencoderOptions o) => new(o.CodeL1Penalty, o.SparsityTarget, o.SparsityWeight);

    public bool IsActive => L1Weight > 0 || (SparsityTarget is not null && SparsityWeight > 0);

    public Tensor AddTo(Tensor loss, Tensor code)
    {
        if (L1Weight > 0)
            loss = loss + L1Weight * code.abs().sum(1).mean();
        if (SparsityTarget is double rho && SparsityWeight > 0)
        {
            var rhoHat = code.mean([0]).clamp(1e-6, 1 - 1e-6);
            var kl = rho * (rho / rhoHat).log() + (1 - rho) * ((1 - rho) / (1 - rhoHat)).log();
            loss = loss + SparsityWeight * kl.sum();
        }
        return loss;
    }
}
