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
    internal PretrainedStack(int inputSize, ActivationFunction activation, ActivationFunction codeActivation, IReadOnlyList<LayerWeights> encoders,
        IReadOnlyList<LayerWeights> decoders, IReadOnlyList<IReadOnlyList<EpochReport>> layerHistories)
    {
        InputSize = inputSize;
        Activation = activation;
        CodeActivation = codeActivation;
        Encoders = encoders;
        Decoders = decoders;
        LayerHistories = layerHistories;
    }

    /// <summary>Length of an input row.</summary>
    public int InputSize { get; }

    /// <summary>Layer sizes, input side first: the encoder layers, then the code.</summary>
    public IReadOnlyList<int> Layers => Encoders.Select(e => e.Outputs).ToArray();

    /// <summary>Nonlinearity the layers below the code were trained with.</summary>
    public ActivationFunction Activation { get; }

    /// <summary>Nonlinearity of the top layer (the code).</summary>
    public ActivationFunction CodeActivation { get; }

    /// <summary>Per layer, one entry per pretraining epoch.</summary>
    public IReadOnlyList<IReadOnlyList<EpochReport>> LayerHistories { get; }

    internal IReadOnlyList<LayerWeights> Encoders { get; }

    internal IReadOnlyList<LayerWeights> Decoders { get; }

    /// <summary>Throws unless this stack can initialise the network <paramref name="options"/> describe.</summary>
    internal void CheckFits(int inputSize, StackedPretrainerOptions options)
    {
        if (inputSize != InputSize || !Layers.SequenceEqual(options.StackLayersFor(inputSize)) || Activation != options.Activation || CodeActivation != options.CodeActivation)
            throw new ArgumentOutOfRangeException(nameof(options), $"Option 'PretrainedStack' holds a {InputSize}-{string.Join("-", Layers)} {Describe(Activation, CodeActivation)} stack, " +
                $"but the options and input describe {inputSize}-{string.Join("-", options.StackLayersFor(inputSize))} {Describe(options.Activation, options.CodeActivation)}.");
    }

    private static string Describe(ActivationFunction hidden, ActivationFunction top) => hidden == top ? $"{hidden}" : $"{hidden} (code layer {top})";
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
