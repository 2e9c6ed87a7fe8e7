using Microsoft.ML.Autoencoders.Onnx;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Microsoft.ML.Autoencoders.Training.Networks;

/// <summary>
/// The operations of a convolutional network (NCHW), each defined once as its torch pass and, beside it, the ONNX nodes
/// that compute the same thing: convolution, transposed convolution, max pooling with positions, unpooling to those
/// positions, nearest-neighbour upsampling. The ONNX side is written for a batch of one image (its shapes are fixed).
/// </summary>
internal static class ConvolutionOps
{
    /// <summary>Conv2d with a square kernel, stride and zero padding (every pass through <see cref="ForwardOnlyConvolution"/>).</summary>
    public static Tensor Convolve(Conv2d layer, Tensor x, int stride, int padding) => ForwardOnlyConvolution.Convolve(layer, x, stride, padding);

    /// <summary>The same as an ONNX Conv node; ONNX's weight layout [out, in, kH, kW] is TorchSharp's.</summary>
    public static string EmitConvolve(OnnxModelBuilder g, Conv2d layer, string x, int stride, int padding, string hint)
    {
        var (w, b) = Weights(g, layer.weight!, layer.bias, hint);
        long k = layer.weight!.shape[2];
        return g.Apply("Conv", b is null ? [x, w] : [x, w, b],
            OnnxAttribute.Of("kernel_shape", k, k), OnnxAttribute.Of("strides", stride, (long)stride),
            OnnxAttribute.Of("pads", padding, padding, padding, (long)padding));
    }

    /// <summary>ConvTranspose2d with a square kernel (every pass through <see cref="ForwardOnlyConvolution"/>).</summary>
    public static Tensor ConvolveTransposed(ConvTranspose2d layer, Tensor x, int stride, int padding, int outputPadding) =>
        ForwardOnlyConvolution.ConvolveTransposed(layer, x, stride, padding, outputPadding);

    /// <summary>The same as an ONNX ConvTranspose node; weight layout [in, out, kH, kW] in both.</summary>
    public static string EmitConvolveTransposed(OnnxModelBuilder g, ConvTranspose2d layer, string x, int stride, int padding, int outputPadding, string hint)
    {
        var (w, b) = Weights(g, layer.weight!, layer.bias, hint);
        long k = layer.weight!.shape[2];
        return g.Apply("ConvTranspose", b is null ? [x, w] : [x, w, b],
            OnnxAttribute.Of("kernel_shape", k, k), OnnxAttribute.Of("strides", stride, (long)stride),
            OnnxAttribute.Of("pads", padding, padding, padding, (long)padding),
            OnnxAttribute.Of("output_padding", outputPadding, (long)outputPadding));
    }

    /// <summary>Max pooling over pool × pool windows; the positions are where each maximum came from (flat within its plane).</summary>
    public static (Tensor Values, Tensor Positions) MaxPool(Tensor x, long pool) => nn.functional.max_pool2d_with_indices(x, [pool, pool], [pool, pool]);

    /// <summary>The same as an ONNX MaxPool node whose second output holds the positions (flat NCHW, what MaxUnpool reads).</summary>
    public static (string Values, string Positions) EmitMaxPool(OnnxModelBuilder g, string x, int pool)
    {
        string values = g.NewName("maxpool"), positions = g.NewName("maxpool_indices");
        g.AddNode("MaxPool", [x], [values, positions],
            OnnxAttribute.Of("kernel_shape", pool, (long)pool), OnnxAttribute.Of("strides", pool, (long)pool));
        return (values, positions);
    }

    /// <summary>
    /// MaxUnpool2d: each value goes to the position (within its plane) that max pooling recorded, zeros elsewhere.
    /// Written as a scatter because TorchSharp 0.107's max_unpool2d drops its output_size argument.
    /// </summary>
    public static Tensor Unpool(Tensor x, Tensor positions, int height, int width)
    {
        long n = x.shape[0], c = x.shape[1];
        return zeros([n, c, height * width], dtype: x.dtype, device: x.device)
            .scatter(2, positions.flatten(2), x.flatten(2))
            .view(n, c, height, width);
    }

    /// <summary>The same as an ONNX MaxUnpool node to an exact output shape.</summary>
    public static string EmitUnpool(OnnxModelBuilder g, string x, string positions, int pool, long[] outputShape) =>
        g.Apply("MaxUnpool", [x, positions, g.AddInt64Initializer("unpool_shape", outputShape)],
            OnnxAttribute.Of("kernel_shape", pool, (long)pool), OnnxAttribute.Of("strides", pool, (long)pool));

    /// <summary>Nearest-neighbour upsampling to exact sizes (torch's interpolate, mode nearest: source = floor(target · in / out)).</summary>
    public static Tensor Upsample(Tensor x, int height, int width) => nn.functional.interpolate(x, size: [height, width], mode: InterpolationMode.Nearest);

    /// <summary>The same as an ONNX Resize node (nearest, asymmetric coordinates, floor).</summary>
    public static string EmitUpsample(OnnxModelBuilder g, string x, long[] sizes) =>
        g.Apply("Resize", [x, "", "", g.AddInt64Initializer("resize_sizes", sizes)],
            OnnxAttribute.Of("mode", "nearest"), OnnxAttribute.Of("coordinate_transformation_mode", "asymmetric"),
            OnnxAttribute.Of("nearest_mode", "floor"));

    private static (string Weight, string? Bias) Weights(OnnxModelBuilder g, Tensor weight, Tensor? bias, string hint)
    {
        using var scope = NewDisposeScope();
        var w = weight.detach().cpu().contiguous();
        var wName = g.AddInitializer(hint + "_w", w.data<float>().ToArray(), w.shape);
        if (bias is null) return (wName, null);
        var b = bias.detach().cpu().contiguous();
        return (wName, g.AddInitializer(hint + "_b", b.data<float>().ToArray(), b.shape[0]));
    }
}
