using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Microsoft.ML.Autoencoders.Export;

/// <summary>Emits the convolutional layers as ONNX nodes (NCHW, batch of 1): Conv, MaxPool with indices, MaxUnpool, Resize, ConvTranspose.</summary>
internal static class OnnxConvolution
{
    /// <summary>Conv2d; ONNX's weight layout [out, in, kH, kW] is TorchSharp's.</summary>
    public static string EmitConv(OnnxModelBuilder g, Conv2d layer, string x, int stride, int padding, string hint)
    {
        var (w, b) = Weights(g, layer.weight!, layer.bias, hint);
        long k = layer.weight!.shape[2];
        return g.Apply("Conv", b is null ? [x, w] : [x, w, b],
            OnnxAttribute.Of("kernel_shape", k, k), OnnxAttribute.Of("strides", stride, (long)stride),
            OnnxAttribute.Of("pads", padding, padding, padding, (long)padding));
    }

    /// <summary>ConvTranspose2d; weight layout [in, out, kH, kW] in both.</summary>
    public static string EmitConvTranspose(OnnxModelBuilder g, ConvTranspose2d layer, string x, int stride, int padding, int outputPadding, string hint)
    {
        var (w, b) = Weights(g, layer.weight!, layer.bias, hint);
        long k = layer.weight!.shape[2];
        return g.Apply("ConvTranspose", b is null ? [x, w] : [x, w, b],
            OnnxAttribute.Of("kernel_shape", k, k), OnnxAttribute.Of("strides", stride, (long)stride),
            OnnxAttribute.Of("pads", padding, padding, padding, (long)padding),
            OnnxAttribute.Of("output_padding", outputPadding, (long)outputPadding));
    }

    /// <summary>MaxPool whose second output holds where each maximum came from (flat NCHW positions, what MaxUnpool reads).</summary>
    public static (string Values, string Indices) EmitMaxPool(OnnxModelBuilder g, string x, int pool)
    {
        string values = g.NewName("maxpool"), indices = g.NewName("maxpool_indices");
        g.AddNode("MaxPool", [x], [values, indices],
            OnnxAttribute.Of("kernel_shape", pool, (long)pool), OnnxAttribute.Of("strides", pool, (long)pool));
        return (values, indices);
    }

    /// <summary>MaxUnpool to an exact output shape: values back at the pooled positions, zeros elsewhere.</summary>
    public static string EmitMaxUnpool(OnnxModelBuilder g, string x, string indices, int pool, long[] outputShape) =>
        g.Apply("MaxUnpool", [x, indices, g.AddInt64Initializer("unpool_shape", outputShape)],
            OnnxAttribute.Of("kernel_shape", pool, (long)pool), OnnxAttribute.Of("strides", pool, (long)pool));

    /// <summary>Nearest-neighbour resize to exact sizes, matching torch's interpolate(mode: nearest): source = floor(target · in / out).</summary>
    public static string EmitNearestResize(OnnxModelBuilder g, string x, long[] sizes) =>
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
