using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Microsoft.ML.Autoencoders.Training.Networks;

/// <summary>
/// Convolution and transposed convolution as unfold (im2col) and a matrix product, for training and scoring in torch.
/// Why not libtorch's own kernels: on an AMD EPYC (AVX-512) machine its transposed convolution — ConvTranspose2d's
/// forward pass and Conv2d's gradient with respect to the input — gave wrong values for batches of two rows or more
/// (off by 0.3 to 1.2; always with one thread, on some calls with two), so a convolutional autoencoder's training
/// diverged to NaN there. Unfold, fold (its gradient) and matrix products are plain kernels that agree on every CPU
/// we have. The layers keep their modules and weight layouts, so their parameters and the ONNX export (Conv and
/// ConvTranspose nodes) are unchanged.
/// </summary>
internal static class MatrixConvolution
{
    /// <summary>What <c>layer.forward(x)</c> computes for a square kernel with the given stride and zero padding.</summary>
    public static Tensor Convolve(Conv2d layer, Tensor x, int stride, int padding) => Convolve(x, layer.weight!, layer.bias, stride, padding);

    /// <summary>
    /// What <c>layer.forward(x)</c> computes for a square kernel: the input spread out by the stride (zeros between its
    /// pixels), padded by kernel − 1 − padding (plus the output padding at the bottom and right), convolved with the
    /// kernel flipped and its input and output planes swapped.
    /// </summary>
    public static Tensor ConvolveTransposed(ConvTranspose2d layer, Tensor x, int stride, int padding, int outputPadding)
    {
        var weight = layer.weight!;
        int kernel = (int)weight.shape[2];
        int before = kernel - 1 - padding, after = before + outputPadding;
        if (before < 0) throw new ArgumentOutOfRangeException(nameof(padding), padding, $"Padding {padding} exceeds kernel size − 1 ({kernel - 1}).");
        if (stride > 1)
        {
            long n = x.shape[0], c = x.shape[1], h = x.shape[2], w = x.shape[3];
            // [N, C, H, 1, W, 1] padded to [N, C, H, s, W, s]: each pixel followed by s − 1 zeros along both axes.
            x = nn.functional.pad(x.reshape(n, c, h, 1, w, 1), [0, stride - 1, 0, 0, 0, stride - 1])
                .view(n, c, h * stride, w * stride)
                .narrow(2, 0, (h - 1) * stride + 1)
                .narrow(3, 0, (w - 1) * stride + 1);
        }
        x = nn.functional.pad(x, [before, after, before, after]);
        return Convolve(x, weight.flip(2, 3).transpose(0, 1), layer.bias, 1, 0);
    }

    /// <param name="weight">[out planes, in planes, k, k].</param>
    private static Tensor Convolve(Tensor x, Tensor weight, Tensor? bias, int stride, int padding)
    {
        long n = x.shape[0], outPlanes = weight.shape[0], kernel = weight.shape[2];
        long outHeight = (x.shape[2] + 2 * padding - kernel) / stride + 1, outWidth = (x.shape[3] + 2 * padding - kernel) / stride + 1;
        var columns = nn.functional.unfold(x, (kernel, kernel), padding: (padding, padding), stride: (stride, stride));   // [N, C·k·k, L]
        var y = weight.reshape(outPlanes, -1).matmul(columns);                                                               // [N, O, L]
        if (bias is not null) y = y + bias.view(1, outPlanes, 1);
        return y.view(n, outPlanes, outHeight, outWidth);
    }
}
