using static TorchSharp.torch;

namespace Microsoft.ML.Autoencoders.Training.Corruption;

/// <summary>
/// Corrupts a batch x into x' for denoising training. Uses torch's random generator, which training seeds,
/// so a rerun with the same seed sees the same noise. <paramref name="Min"/>/<paramref name="Max"/> are the
/// training data's range (salt-and-pepper values, Gaussian clipping).
/// </summary>
internal sealed record Corruption(CorruptionKind Kind, double Level, float Min, float Max)
{
    public Tensor Apply(Tensor x) => Kind switch
    {
        // masked_fill, not x * (noise >= level).to_type(...): in TorchSharp 0.107 that to_type path leaked ~4 MB of native memory per step.
        CorruptionKind.Masking => x.masked_fill(rand_like(x) < Level, 0),
        CorruptionKind.Gaussian => (x + Level * randn_like(x)).clamp(Min, Max),
        CorruptionKind.SaltAndPepper => SaltAndPepper(x),
        _ => throw new ArgumentOutOfRangeException(nameof(Kind), Kind, "Unknown corruption."),
    };

    private Tensor SaltAndPepper(Tensor x)
    {
        var hit = rand_like(x) < Level;
        var salt = rand_like(x) < 0.5;
        var noise = where(salt, full_like(x, Max), full_like(x, Min));
        return where(hit, noise, x);
    }
}
