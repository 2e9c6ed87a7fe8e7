using Microsoft.ML.Autoencoders.Onnx;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Microsoft.ML.Autoencoders.Training.Networks;

/// <summary>
/// A sequence autoencoder over windows of a time series: rows [N, window · channels] in [time, channel] order. Encoder:
/// 1-D convolutions over time (stride 2, each followed by the activation), the last stage flattened, dense layers to the
/// code. Decoder: dense layers back to the last stage's shape, then per stage nearest-neighbour upsampling to the stage's
/// input length and a stride-1 convolution (the last one to the input channels, linear).
/// </summary>
internal sealed class TemporalConvolutionalNetwork : AutoencoderNetwork
{
    private readonly ModuleList<TemporalConvolution> encoderConvolutions = new();
    private readonly ModuleList<Linear> encoderDense;
    private readonly ModuleList<Linear> decoderDense;
    private readonly ModuleList<TemporalConvolution> decoderConvolutions = new();
    private readonly int[] _lengths;      // the time length entering each encoder stage, then the last stage's output length
    private readonly int[] _filters;
    private readonly ActivationFunction _activation, _codeActivation;

    public TemporalConvolutionalNetwork(int window, int channels, int[] filters, int kernel, int[] encoderLayers, int codeSize, int[] decoderLayers,
        ActivationFunction activation, ActivationFunction codeActivation, ReconstructionOutput output) : base(nameof(TemporalConvolutionalNetwork), output)
    {
        (Window, Channels, InputSize, CodeSize) = (window, channels, window * channels, codeSize);
        (_activation, _codeActivation, _filters) = (activation, codeActivation, filters);
        _lengths = new int[filters.Length + 1];
        _lengths[0] = window;
        for (int i = 0; i < filters.Length; i++)
        {
            var conv = new TemporalConvolution(i == 0 ? channels : filters[i - 1], filters[i], kernel, 2);
            encoderConvolutions.Add(conv);
            _lengths[i + 1] = conv.OutputLength(_lengths[i]);
        }
        int flat = filters[^1] * _lengths[^1];
        encoderDense = DenseLayers.Chain([flat, .. encoderLayers, codeSize]);
        decoderDense = DenseLayers.Chain([codeSize, .. decoderLayers, flat]);
        for (int i = filters.Length - 1; i >= 0; i--)
            decoderConvolutions.Add(new TemporalConvolution(filters[i], i == 0 ? channels : filters[i - 1], kernel, 1));
        RegisterComponents();
    }

    /// <summary>The time length after each encoder stage for <paramref name="window"/> steps (throws naming the option when a stage would be empty).</summary>
    public static int[] StageLengths(int window, int[] filters, int kernel)
    {
        var lengths = new List<int> { window };
        foreach (var _ in filters)
        {
            int next = (lengths[^1] + 2 * (kernel / 2) - kernel) / 2 + 1;
            if (next < 1) throw new ArgumentOutOfRangeException(nameof(filters), $"A window of {window} steps is too short for {filters.Length} stride-2 stages of kernel {kernel}.");
            lengths.Add(next);
        }
        return [.. lengths];
    }

    public int Window { get; }
    public int Channels { get; }
    public override int InputSize { get; }
    public override int CodeSize { get; }

    public override float[][] FirstLayerFilters() => WeightRows(encoderConvolutions[0].parameters().First());

    public override Tensor Encode(Tensor x)
    {
        var h = x.view(-1, Window, Channels).transpose(1, 2);
        foreach (var conv in encoderConvolutions) h = _activation.Apply(conv.forward(h));
        return DenseLayers.Run(encoderDense, h.flatten(1), _activation, _codeActivation);
    }

    public override ForwardPass Run(Tensor x)
    {
        var code = Encode(x);
        var h = DenseLayers.Run(decoderDense, code, _activation, _activation).view(-1, _filters[^1], _lengths[^1]);
        for (int k = 0; k < decoderConvolutions.Count; k++)
        {
            int stage = _filters.Length - 1 - k;
            h = decoderConvolutions[k].forward(TemporalConvolution.Upsample(h, _lengths[stage]));
            if (stage > 0) h = _activation.Apply(h);
        }
        return new(code, h.transpose(1, 2).reshape(-1, InputSize));
    }

    public override string EmitEncoder(OnnxModelBuilder g, string input, bool batched)
    {
        var code = EmitBatchEncoder(g, input);
        return batched ? code : g.Apply("Reshape", [code, g.AddInt64Initializer("code_shape", CodeSize)]);
    }

    /// <summary>The encoder on [N, InputSize] (a row is reshaped to a batch of one); the code is [N, CodeSize].</summary>
    private string EmitBatchEncoder(OnnxModelBuilder g, string input)
    {
        var h = g.Apply("Transpose", [g.Apply("Reshape", [input, g.AddInt64Initializer("window_shape", -1, Window, Channels)])], OnnxAttribute.Of("perm", 0, 2, 1L));
        for (int i = 0; i < encoderConvolutions.Count; i++) h = _activation.Emit(g, encoderConvolutions[i].Emit(g, h, $"enc_conv{i}"));
        h = g.Apply("Reshape", [h, g.AddInt64Initializer("flat_shape", -1, (long)_filters[^1] * _lengths[^1])]);
        return DenseLayers.Emit(g, encoderDense, h, _activation, _codeActivation, "enc");
    }

    protected override (string Code, string Raw) EmitEncoderDecoder(OnnxModelBuilder g, string input, bool batched)
    {
        var batchCode = EmitBatchEncoder(g, input);
        var h = DenseLayers.Emit(g, decoderDense, batchCode, _activation, _activation, "dec");
        h = g.Apply("Reshape", [h, g.AddInt64Initializer("stage_shape", -1, _filters[^1], _lengths[^1])]);
        for (int k = 0; k < decoderConvolutions.Count; k++)
        {
            int stage = _filters.Length - 1 - k;
            h = decoderConvolutions[k].Emit(g, TemporalConvolution.EmitUpsample(g, h, _lengths[stage + 1], _lengths[stage]), $"dec_conv{k}");
            if (stage > 0) h = _activation.Emit(g, h);
        }
        var raw = g.Apply("Transpose", [h], OnnxAttribute.Of("perm", 0, 2, 1L));
        raw = g.Apply("Reshape", [raw, batched ? g.AddInt64Initializer("rows_shape", -1, InputSize) : g.AddInt64Initializer("row_shape", InputSize)]);
        var code = batched ? batchCode : g.Apply("Reshape", [batchCode, g.AddInt64Initializer("code_shape", CodeSize)]);
        return (code, raw);
    }
}
