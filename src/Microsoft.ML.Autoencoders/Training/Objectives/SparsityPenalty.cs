using static TorchSharp.torch;

namespace Microsoft.ML.Autoencoders.Training.Objectives;

/// <summary>
/// Sparsity penalties on the code activations h (shape [batch, units]), added to the per-row loss:
/// <list type="bullet">
/// <item>L1: λ · mean over rows of Σⱼ |hⱼ|.</item>
/// <item>KL: β · Σⱼ KL(ρ ‖ ρ̂ⱼ), ρ̂ⱼ the batch mean of unit j (which must lie in (0, 1): a sigmoid code layer),
/// as MATLAB's SparsityProportion / SparsityRegularization.</item>
/// </list>
/// These are what make an over-complete layer learn features instead of copying its input. Built from
/// <see cref="AutoencoderOptions.CodeL1Penalty"/>, <see cref="AutoencoderOptions.SparsityTarget"/> and
/// <see cref="AutoencoderOptions.SparsityWeight"/>, which the options check.
/// </summary>
internal sealed class SparsityPenalty : AutoencoderPenalty
{
    private readonly double _l1Weight;
    private readonly double? _target;
    private readonly double _klWeight;

    private SparsityPenalty(double l1Weight, double? target, double klWeight) => (_l1Weight, _target, _klWeight) = (l1Weight, target, klWeight);

    /// <summary>The sparsity the options ask for, or null when they ask for none.</summary>
    public static SparsityPenalty? From(AutoencoderOptions o) =>
        o.CodeL1Penalty > 0 || (o.SparsityTarget is not null && o.SparsityWeight > 0) ? new(o.CodeL1Penalty, o.SparsityTarget, o.SparsityWeight) : null;

    internal override Tensor Compute(ObjectiveBatch batch)
    {
        var code = batch.Pass.Code;
        var penalty = zeros(1, device: code.device).squeeze();
        if (_l1Weight > 0)
            penalty = penalty + _l1Weight * code.abs().sum(1).mean();
        if (_target is double rho && _klWeight > 0)
        {
            var rhoHat = code.mean([0]).clamp(1e-6, 1 - 1e-6);
            var kl = rho * (rho / rhoHat).log() + (1 - rho) * ((1 - rho) / (1 - rhoHat)).log();
            penalty = penalty + _klWeight * kl.sum();
        }
        return penalty;
    }

    internal override void Validate(string option) { }
}
