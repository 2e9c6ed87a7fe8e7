using Microsoft.ML.Autoencoders.Onnx;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Microsoft.ML.Autoencoders.Training.Networks;

/// <summary>
/// A 1-D convolution over time (input [N, C, L], weight [O, C, k], zero padding k / 2 on both sides), defined once as its
/// torch pass and, beside it, its ONNX Conv node. The torch pass gathers the k shifted (and strided) copies of the input
/// and multiplies them by the weights, so training reaches only slicing and matrix products — none of libtorch's
/// convolution kernels, one of whose input-gradient paths computed wrong values on an AMD EPYC with AVX-512
/// (see <see cref="ForwardOnlyConvolution"/>). For the short windows of a time series the copies are small.
/// </summary>
internal sealed class TemporalConvolution : nn.Module<Tensor, Tensor>
{
    private readonly Parameter weight;
    private readonly Parameter bias;

    public TemporalConvolution(int inputChannels, int outputChannels, int kernel, int stride) : base(nameof(TemporalConvolution))
    {
        (InputChannels, OutputChannels, Kernel, Stride) = (inputChannels, outputChannels, kernel, stride);
        // PyTorch's Conv1d initialisation: U(−1/√fan_in, 1/√fan_in) for weights and bias.
        double bound = 1 / Math.Sqrt(inputChannels * kernel);
        weight = new Parameter(torch.empty(outputChannels, inputChannels, kernel).uniform_(-bound, bound));
        bias = new Parameter(torch.empty(outputChannels).uniform_(-bound, bound));
        RegisterComponents();
    }

    public int InputChannels { get; }
    public int OutputChannels { get; }
    public int Kernel { get; }
    public int Stride { get; }
    public int Padding => Kernel / 2;

    /// <summary>Output length for an input of <paramref name="length"/> steps.</summary>
    public int OutputLength(int length) => (length + 2 * Padding - Kernel) / Stride + 1;

    public override Tensor forward(Tensor x)
    {
        long n = x.shape[0], length = x.shape[2];
        int outLength = OutputLength((int)length);
        var padded = Padding > 0 ? nn.functional.pad(x, [Padding, Padding]) : x;
        var taps = new Tensor[Kernel];
        for (int j = 0; j < Kernel; j++)
            taps[j] = padded[TensorIndex.Colon, TensorIndex.Colon, TensorIndex.Slice(j, j + (long)Stride * (outLength - 1) + 1, Stride)];
        var columns = stack(taps, 2).reshape(n, (long)InputChannels * Kernel, outLength);     // [N, C·k, L']
        return weight.view(OutputChannels, -1).matmul(columns) + bias.view(1, OutputChannels, 1);
    }

    /// <summary>The same as an ONNX Conv node on [N, C, L]; ONNX's weight layout [O, C, k] is this one's.</summary>
    public string Emit(OnnxModelBuilder g, string x, string hint)
    {
        using var scope = NewDisposeScope();
        var w = weight.detach().cpu().contiguous();
        var b = bias.detach().cpu().contiguous();
        return g.Apply("Conv", [x, g.AddInitializer(hint + "_w", w.data<float>().ToArray(), w.shape), g.AddInitializer(hint + "_b", b.data<float>().ToArray(), b.shape[0])],
            OnnxAttribute.Of("kernel_shape", new long[] { Kernel }), OnnxAttribute.Of("strides", new long[] { Stride }), OnnxAttribute.Of("pads", Padding, (long)Padding));
    }

    /// <summary>Nearest-neighbour upsampling along time to exactly <paramref name="length"/> steps: step t takes input step ⌊t · L / length⌋.</summary>
    public static Tensor Upsample(Tensor x, int length) => x.index_select(2, UpsampleIndices((int)x.shape[2], length, x.device));

    /// <summary>The same as an ONNX Gather along the time axis (works on any batch size).</summary>
    public static string EmitUpsample(OnnxModelBuilder g, string x, int inputLength, int length) =>
        g.Apply("Gather", [x, g.AddInt64Initializer("upsample_steps", Steps(inputLength, length))], OnnxAttribute.Of("axis", 2L));

    private static Tensor UpsampleIndices(int inputLength, int length, Device device) => torch.tensor(Steps(inputLength, length), device: device);

    private static long[] Steps(int inputLength, int length) => [.. Enumerable.Range(0, length).Select(t => (long)t * inputLength / length)];
}
