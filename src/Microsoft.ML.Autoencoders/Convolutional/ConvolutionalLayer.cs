namespace Microsoft.ML.Autoencoders;

/// <summary>
/// One encoder stage of a convolutional autoencoder: Conv2d (<see cref="Channels"/> filters of
/// <see cref="KernelSize"/>×<see cref="KernelSize"/>, stride <see cref="Stride"/>, zero padding KernelSize / 2)
/// → activation → MaxPool2d (<see cref="PoolSize"/>×<see cref="PoolSize"/>, remembering where each maximum was).
/// The decoder mirrors it: unpooling (or upsampling) back to the pre-pooling size, then ConvTranspose2d.
/// </summary>
/// <param name="Channels">Output channels (filters) of the convolution.</param>
/// <param name="KernelSize">Side of the square convolution kernel.</param>
/// <param name="Stride">Convolution stride.</param>
/// <param name="PoolSize">Side (and stride) of the max-pooling window; 1 means no pooling.</param>
public sealed record ConvolutionalLayer(int Channels, int KernelSize = 3, int Stride = 1, int PoolSize = 2);

/// <summary>How the decoder of a convolutional autoencoder undoes max pooling.</summary>
public enum ConvolutionalDecoder
{
    /// <summary>
    /// Unpooling (MaxUnpool2d): each value goes back to the position the encoder's max pooling took it from,
    /// zeros elsewhere; then ConvTranspose2d. The positions come from the input being encoded, so the
    /// reconstruction uses them as well as the code (they carry information the code alone does not).
    /// </summary>
    Unpooling,

    /// <summary>Nearest-neighbour upsampling to the pre-pooling size, then ConvTranspose2d: the reconstruction depends on the code alone.</summary>
    Upsampling,
}
