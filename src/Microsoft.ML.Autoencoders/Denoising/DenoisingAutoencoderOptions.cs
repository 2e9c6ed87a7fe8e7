namespace Microsoft.ML.Autoencoders;

/// <summary>
/// Options of a denoising autoencoder: <see cref="AutoencoderOptions"/> with the corruption turned on
/// (<see cref="AutoencoderOptions.CorruptionLevel"/> starts at <see cref="DenoisingAutoencoderTrainer.Defaults.CorruptionLevel"/>).
/// Every training mini-batch is corrupted afresh; the loss is always taken against the clean input.
/// </summary>
public sealed class DenoisingAutoencoderOptions : AutoencoderOptions
{
    /// <summary>Creates options with masking noise at <see cref="DenoisingAutoencoderTrainer.Defaults.CorruptionLevel"/>.</summary>
    public DenoisingAutoencoderOptions() => CorruptionLevel = DenoisingAutoencoderTrainer.Defaults.CorruptionLevel;

    internal override IAutoencoderEstimator CreateEstimator(Microsoft.ML.Runtime.IHostEnvironment env, string outputColumnName, string inputColumnName) =>
        new DenoisingAutoencoderTrainer(env, outputColumnName, inputColumnName, this);
}
