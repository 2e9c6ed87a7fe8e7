namespace Microsoft.ML.Autoencoders;

/// <summary>How a denoising autoencoder corrupts each training mini-batch (afresh every time; never at scoring time).</summary>
public enum CorruptionKind
{
    /// <summary>Masking noise: each value is set to 0 with probability <c>CorruptionLevel</c>.</summary>
    Masking,
    /// <summary>Additive Gaussian noise with standard deviation <c>CorruptionLevel</c>, clipped to the training data's range.</summary>
    Gaussian,
    /// <summary>Salt-and-pepper: each value is set, with probability <c>CorruptionLevel</c>, to the data's minimum or maximum (half each).</summary>
    SaltAndPepper,
}
