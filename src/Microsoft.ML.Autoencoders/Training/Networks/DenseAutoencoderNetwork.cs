using Microsoft.ML.Autoencoders.Onnx;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Microsoft.ML.Autoencoders.Training.Networks;

/// <summary>
/// Fully connected autoencoder: input → encoder hidden layers → code → decoder hidden layers → input size.
/// Hidden layers use <c>activation</c>; the code layer uses <c>codeActivation</c> (linear by default);
/// the last decoder layer is linear (its sigmoid, when used, belongs to the loss / reconstruction).
/// </summary>
internal sealed class DenseAutoencoderNetwork : AutoencoderNetwork
{
    private readonly ModuleList<Linear> encoder;
    private readonly ModuleList<Linear> decoder;
    private readonly ActivationFunction _activation;
    private readonly ActivationFunction _codeActivation;

    public DenseAutoencoderNetwork(int inputSize, IReadOnlyList<int> encoderLayers, int codeSize,
        IReadOnlyList<int> decoderLayers, ActivationFunction activation, ActivationFunction codeActivation, ReconstructionOutput output)
        : base(nameof(DenseAutoencoderNetwork), output)
    {
        InputSize = inputSize;
        CodeSize = codeSize;
        _activation = activation;
        _codeActivation = codeActivation;
        encoder = DenseLayers.Chain([inputSize, .. encoderLayers, codeSize]);
        decoder = DenseLayers.Chain([codeSize, .. decoderLayers, inputSize]);
        RegisterComponents();
    }

    /// <summary>The network <paramref name="o"/> describes (decoder mirrors the encoder unless given).</summary>
    public static DenseAutoencoderNetwork FromOptions(int inputSize, AutoencoderOptions o, ReconstructionOutput output)
    {
        int[] encoder = o.EncoderLayersFor(inputSize);
        int[] decoder = o.DecoderLayers ?? [.. encoder.Reverse()];
        NetworkSize.CheckTrainable(NetworkSize.DenseParameters([inputSize, .. encoder, o.CodeSize]) + NetworkSize.DenseParameters([o.CodeSize, .. decoder, inputSize]),
            $"{nameof(o.EncoderLayers)}, {nameof(o.CodeSize)} and {nameof(o.DecoderLayers)}");
        return new(inputSize, encoder, o.CodeSize, decoder, o.Activation, o.CodeActivation, output);
    }

    /// <summary>Number of encoder layers (hidden layers plus the code layer).</summary>
    public int EncoderDepth => encoder.Count;

    /// <summary>Nonlinearity of the code layer.</summary>
    public ActivationFunction CodeActivation => _codeActivation;

    /// <summary>Encoder layer <paramref name="index"/> (input side first); the last one produces the code.</summary>
    public Linear EncoderLayer(int index) => encoder[index];

    /// <summary>Decoder layer <paramref name="index"/> (code side first); the last one produces the reconstruction.</summary>
    public Linear DecoderLayer(int index) => decoder[index];

    public override int InputSize { get; }
    public override int CodeSize { get; }

    public override float[][] FirstLayerFilters() => WeightRows(encoder[0].weight!);

    public override Tensor Encode(Tensor x) => DenseLayers.Run(encoder, x, _activation, _codeActivation);

    /// <summary>The code with dropout after every encoder layer (in training mode only), for a classifier on top of the encoder.</summary>
    public Tensor Encode(Tensor x, double dropout) => DenseLayers.Run(encoder, x, _activation, _codeActivation, training ? dropout : 0);

    /// <summary>The decoder's raw output for codes [N, CodeSize].</summary>
    public Tensor Decode(Tensor code) => DenseLayers.Run(decoder, code, _activation, ActivationFunction.Linear);

    public override ForwardPass Run(Tensor x)
    {
        var code = Encode(x);
        return new(code, Decode(code));
    }

    /// <summary>Trainable scalars of the encoder alone.</summary>
    public long EncoderParameterCount => encoder.parameters().Sum(p => p.numel());

    // MatMul + Add work on a row [in] and on a batch [N, in] alike, so batched needs nothing different here.
    public override string EmitEncoder(OnnxModelBuilder g, string input, bool batched) =>
        DenseLayers.Emit(g, encoder, input, _activation, _codeActivation, "enc");

    protected override (string Code, string Raw) EmitEncoderDecoder(OnnxModelBuilder g, string input, bool batched)
    {
        var code = EmitEncoder(g, input, batched);
        return (code, DenseLayers.Emit(g, decoder, code, _activation, ActivationFunction.Linear, "dec"));
    }
}
