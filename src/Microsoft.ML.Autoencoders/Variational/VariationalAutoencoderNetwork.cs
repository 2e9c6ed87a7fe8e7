using Microsoft.ML.Autoencoders.Onnx;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Microsoft.ML.Autoencoders.Training.Networks;

/// <summary>
/// A variational autoencoder (Kingma &amp; Welling 2014) with dense layers: encoder hidden layers, then two heads for the
/// mean μ and the log-variance log σ² of q(z|x); in training the decoder reads z = μ + σ·ε (ε ~ N(0, I), the
/// reparameterisation), at scoring it reads μ, so codes and reconstructions are deterministic. The code is μ.
/// </summary>
internal sealed class VariationalAutoencoderNetwork : AutoencoderNetwork
{
    private readonly ModuleList<Linear> encoder;
    private readonly Linear mean;
    private readonly Linear logVariance;
    private readonly ModuleList<Linear> decoder;
    private readonly ActivationFunction _activation;

    public VariationalAutoencoderNetwork(int inputSize, int[] encoderLayers, int codeSize, int[] decoderLayers, ActivationFunction activation, ReconstructionOutput output)
        : base(nameof(VariationalAutoencoderNetwork), output)
    {
        (InputSize, CodeSize, _activation) = (inputSize, codeSize, activation);
        encoder = DenseLayers.Chain([inputSize, .. encoderLayers]);
        int hidden = encoderLayers.Length > 0 ? encoderLayers[^1] : inputSize;
        mean = nn.Linear(hidden, codeSize);
        logVariance = nn.Linear(hidden, codeSize);
        decoder = DenseLayers.Chain([codeSize, .. decoderLayers, inputSize]);
        RegisterComponents();
    }

    public override int InputSize { get; }
    public override int CodeSize { get; }

    public override float[][] FirstLayerFilters() => WeightRows(encoder.Count > 0 ? encoder[0].weight! : mean.weight!);

    private Tensor Hidden(Tensor x) => DenseLayers.Run(encoder, x, _activation, _activation);

    public override Tensor Encode(Tensor x) => mean.forward(Hidden(x));

    /// <summary>The decoder's raw output for codes [N, CodeSize].</summary>
    public Tensor Decode(Tensor code) => DenseLayers.Run(decoder, code, _activation, ActivationFunction.Linear);

    /// <summary>μ and log σ² of q(z|x) for a batch.</summary>
    public (Tensor Mean, Tensor LogVariance) Posterior(Tensor x)
    {
        var h = Hidden(x);
        return (mean.forward(h), logVariance.forward(h));
    }

    public override ForwardPass Run(Tensor x)
    {
        var (mu, logVar) = Posterior(x);
        var z = training ? mu + (0.5 * logVar).exp() * randn_like(mu) : mu;
        return new VariationalPass(mu, Decode(z), mu, logVar);
    }

    public override string EmitEncoder(OnnxModelBuilder g, string input, bool batched)
    {
        var h = DenseLayers.Emit(g, encoder, input, _activation, _activation, "enc");
        return DenseLayers.Emit(g, [mean], h, _activation, ActivationFunction.Linear, "mean");
    }

    protected override (string Code, string Raw) EmitEncoderDecoder(OnnxModelBuilder g, string input, bool batched)
    {
        var code = EmitEncoder(g, input, batched);
        return (code, DenseLayers.Emit(g, decoder, code, _activation, ActivationFunction.Linear, "dec"));
    }
}
