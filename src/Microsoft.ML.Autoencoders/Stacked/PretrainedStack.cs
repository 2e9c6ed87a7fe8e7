using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Microsoft.ML.Autoencoders;

/// <summary>
/// The layers greedy layer-wise pretraining produced: each layer's encoder (and the decoder that pretrained it,
/// used to unroll the stack into a deep autoencoder). Obtain it from
/// <see cref="StackedPretrainerTransformer.PretrainedStack"/> and pass it as
/// <see cref="StackedPretrainerOptions.PretrainedStack"/> to fine-tune again (other labels, other settings)
/// without pretraining again. Immutable.
/// </summary>
public sealed class PretrainedStack
{
    internal PretrainedStack(int inputSize, ActivationFunction activation, ActivationFunction topActivation, IReadOnlyList<LayerWeights> encoders,
        IReadOnlyList<LayerWeights> decoders, IReadOnlyList<IReadOnlyList<EpochReport>> layerHistories)
    {
        InputSize = inputSize;
        Activation = activation;
        TopActivation = topActivation;
        Encoders = encoders;
        Decoders = decoders;
        LayerHistories = layerHistories;
    }

    /// <summary>Length of an input row.</summary>
    public int InputSize { get; }

    /// <summary>Hidden layer sizes, input side first.</summary>
    public IReadOnlyList<int> HiddenLayers => Encoders.Select(e => e.Outputs).ToArray();

    /// <summary>Hidden-layer nonlinearity the layers were trained with.</summary>
    public ActivationFunction Activation { get; }

    /// <summary>Nonlinearity of the top layer.</summary>
    public ActivationFunction TopActivation { get; }

    /// <summary>Per layer, one entry per pretraining epoch.</summary>
    public IReadOnlyList<IReadOnlyList<EpochReport>> LayerHistories { get; }

    internal IReadOnlyList<LayerWeights> Encoders { get; }

    internal IReadOnlyList<LayerWeights> Decoders { get; }

    /// <summary>Throws unless this stack can initialise the network <paramref name="options"/> describe.</summary>
    internal void CheckFits(int inputSize, StackedPretrainerOptions options)
    {
        if (inputSize != InputSize || !HiddenLayers.SequenceEqual(options.HiddenLayers) || Activation != options.Activation || TopActivation != options.TopActivation)
            throw new ArgumentOutOfRangeException(nameof(options), $"Option 'PretrainedStack' holds a {InputSize}-{string.Join("-", HiddenLayers)} {Describe(Activation, TopActivation)} stack, " +
                $"but the options and input describe {inputSize}-{string.Join("-", options.HiddenLayers)} {Describe(options.Activation, options.TopActivation)}.");
    }

    private static string Describe(ActivationFunction hidden, ActivationFunction top) => hidden == top ? $"{hidden}" : $"{hidden} (top layer {top})";
}

/// <summary>The weights of one fully connected layer, held outside TorchSharp (no native memory).</summary>
internal sealed record LayerWeights(int Inputs, int Outputs, float[] Weight, float[] Bias)
{
    public static LayerWeights From(Linear layer)
    {
        using var scope = NewDisposeScope();
        var w = layer.weight!.detach().cpu().contiguous();
        var b = layer.bias!.detach().cpu().contiguous();
        return new LayerWeights((int)w.shape[1], (int)w.shape[0], w.data<float>().ToArray(), b.data<float>().ToArray());
    }

    public void CopyTo(Linear layer)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        layer.weight!.copy_(tensor(Weight, [Outputs, Inputs]));
        layer.bias!.copy_(tensor(Bias, [Outputs]));
    }
}
