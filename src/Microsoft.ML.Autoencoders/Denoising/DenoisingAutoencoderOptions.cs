namespace Microsoft.ML.Autoencoders;

/// <summary>
/// Options of a denoising autoencoder: everything <see cref="AutoencoderOptions"/> has, plus the corruption
/// applied to each training mini-batch. The loss is always taken against the clean input.
/// </summary>
public sealed class DenoisingAutoencoderOptions : AutoencoderOptions
{
    /// <summary>Corruption kind.</summary>
    public CorruptionKind Corruption { get; set; } = CorruptionKind.Masking;

    /// <summary>
    /// Amount of corruption: the fraction of values hit for <see cref="CorruptionKind.Masking"/> and
    /// <see cref="CorruptionKind.SaltAndPepper"/> (in [0, 1)), the standard deviation σ for <see cref="CorruptionKind.Gaussian"/> (≥ 0).
    /// </summary>
    public double CorruptionLevel { get; set; } = DenoisingAutoencoderTrainer.Defaults.CorruptionLevel;

    internal override void Validate()
    {
        base.Validate();
        if (!Enum.IsDefined(Corruption)) throw Bad(nameof(Corruption), Corruption, "is not a known corruption kind");
        CheckCorruptionLevel(nameof(CorruptionLevel), CorruptionLevel, Corruption);
    }
}
