using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Microsoft.ML.Autoencoders.Training.Networks;

/// <summary>
/// Convolution and transposed convolution for training and scoring in torch, where every pass — forward, input gradient,
/// weight gradient, and their own gradients (the contractive penalty differentiates twice) — is libtorch's forward
/// convolution. Why: on an AMD EPYC (AVX-512) machine libtorch's transposed-convolution kernel — ConvTranspose2d's
/// forward pass and Conv2d's gradient with respect to its input — gave wrong values for batches of two rows or more
/// (off by 0.3 to 1.2; always with one thread, on some calls with two), so a convolutional autoencoder's training
/// diverged to NaN there, while its forward convolution was right. An input gradient is a transposed convolution, and a
/// transposed convolution is a forward convolution of the input spread out by the stride, padded, with the kernel
/// flipped and its planes swapped. The layers keep their modules and weight layouts, so their parameters and the ONNX
/// export (Conv and ConvTranspose nodes) are unchanged. Unfold (im2col) + matrix products gave the same values ~15×
/// slower: they allocate a column matrix of tens of megabytes per layer and batch.
/// </summary>
internal static class ForwardOnlyConvolution
{
    /// <summary>What <c>layer.forward(x)</c> computes for a square kernel with the given stride and zero padding.</summary>
    public static Tensor Convolve(Conv2d layer, Tensor x, int stride, int padding) =>
        Convolution.apply(padding > 0 ? nn.functional.pad(x, [padding, padding, padding, padding]) : x, layer.weight!, layer.bias, stride, 1);

    /// <summary>
    /// What <c>layer.forward(x)</c> computes for a square kernel: the input spread out by the stride (zeros between its
    /// pixels), padded by kernel − 1 − padding (plus the output padding at the bottom and right), convolved with the
    /// kernel flipped and its input and output planes swapped.
    /// </summary>
    public static Tensor ConvolveTransposed(ConvTranspose2d layer, Tensor x, int stride, int padding, int outputPadding)
    {
        var weight = layer.weight!;
        int kernel = (int)weight.shape[2];
        int before = kernel - 1 - padding;
        if (before < 0) throw new ArgumentOutOfRangeException(nameof(padding), padding, $"Padding {padding} exceeds kernel size − 1 ({kernel - 1}).");
        var spread = Spread(x, stride, before, before + outputPadding, before + outputPadding);
        return Convolution.apply(spread, weight.flip(2, 3).transpose(0, 1), layer.bias, 1, 1);
    }

    /// <summary>
    /// <paramref name="x"/> [N, C, H, W] with stride − 1 zeros between neighbouring pixels, then padded with zeros:
    /// <paramref name="before"/> at the top and left, the given amounts at the bottom and right.
    /// </summary>
    private static Tensor Spread(Tensor x, int stride, long before, long afterHeight, long afterWidth)
    {
        if (stride > 1)
        {
            long n = x.shape[0], c = x.shape[1], h = x.shape[2], w = x.shape[3];
            // [N, C, H, 1, W, 1] padded to [N, C, H, s, W, s]: each pixel followed by s − 1 zeros along both axes.
            x = nn.functional.pad(x.reshape(n, c, h, 1, w, 1), [0, stride - 1, 0, 0, 0, stride - 1])
                .view(n, c, h * stride, w * stride)
                .narrow(2, 0, (h - 1) * stride + 1)
                .narrow(3, 0, (w - 1) * stride + 1);
        }
        return before == 0 && afterHeight == 0 && afterWidth == 0 ? x : nn.functional.pad(x, [before, afterWidth, before, afterHeight]);
    }

    /// <summary>
    /// An unpadded convolution with stride and dilation whose input gradient is a convolution of this same function and
    /// whose weight gradient is matrix products, so that no pass, first or second order, reaches libtorch's convolution
    /// backward kernels.
    /// Arguments: input [N, C, H, W], weight [O, C, k, k], bias [O] or null, stride, dilation.
    /// </summary>
    private sealed class Convolution : autograd.SingleTensorFunction<Convolution>
    {
        public override string Name => nameof(ForwardOnlyConvolution);

        public override Tensor forward(autograd.AutogradContext ctx, params object[] vars)
        {
            var (x, weight, bias) = ((Tensor)vars[0], (Tensor)vars[1], (Tensor?)vars[2]);
            int stride = (int)vars[3], dilation = (int)vars[4];
            ctx.save_for_backward([x, weight]);
            ctx.save_data("stride", stride);
            ctx.save_data("dilation", dilation);
            ctx.save_data("bias", bias is not null);
            return nn.functional.conv2d(x, weight, bias, strides: [stride, stride], dilation: [dilation, dilation]);
        }

        public override List<Tensor> backward(autograd.AutogradContext ctx, Tensor gradient)
        {
            var saved = ctx.get_saved_variables();
            var (x, weight) = (saved[0], saved[1]);
            int stride = (int)ctx.get_data("stride"), dilation = (int)ctx.get_data("dilation");
            long reach = dilation * (weight.shape[2] - 1);   // how far the kernel's last tap lies from its first

            // ∂/∂x: every output pixel sends its gradient back through the kernel: a full convolution of the
            // stride-spread gradient with the flipped, plane-swapped kernel, padded so that it covers all of x.
            long spreadHeight = (gradient.shape[2] - 1) * stride + 1, spreadWidth = (gradient.shape[3] - 1) * stride + 1;
            var spread = Spread(gradient, stride, reach, x.shape[2] - spreadHeight, x.shape[3] - spreadWidth);
            var inputGradient = apply(spread, weight.flip(2, 3).transpose(0, 1), null, 1, dilation);

            // ∂/∂weight[o, c, dy, dx] = Σ over rows and output pixels of gradient[n, o, i, j] · x[n, c, i·s + dy·d, j·s + dx·d]:
            // one matrix product per kernel tap. (As a convolution over the batch axis with the gradient as kernel, it met a
            // second faulty libtorch kernel on the same machine: a kernel as large as its input, batches of two or more.)
            long planes = x.shape[1], outPlanes = gradient.shape[1], kernel = weight.shape[2];
            var outputRows = gradient.transpose(0, 1).reshape(outPlanes, -1);                              // [O, N·H'·W']
            var taps = new List<Tensor>((int)(kernel * kernel));
            for (long dy = 0; dy < kernel; dy++)
                for (long dx = 0; dx < kernel; dx++)
                {
                    var window = x[TensorIndex.Colon, TensorIndex.Colon,
                        TensorIndex.Slice(dy * dilation, dy * dilation + (gradient.shape[2] - 1) * stride + 1, stride),
                        TensorIndex.Slice(dx * dilation, dx * dilation + (gradient.shape[3] - 1) * stride + 1, stride)];
                    taps.Add(outputRows.matmul(window.transpose(0, 1).reshape(planes, -1).t()));            // [O, C]
                }
            var weightGradient = stack(taps, 2).view(outPlanes, planes, kernel, kernel);

            var biasGradient = (bool)ctx.get_data("bias") ? gradient.sum([0, 2, 3]) : null;
            return [inputGradient, weightGradient, biasGradient!, null!, null!];
        }
    }
}
