using Microsoft.ML.Autoencoders.Export;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Microsoft.ML.Autoencoders.Training.Networks;

/// <summary>
/// A stack of fully connected layers with one nonlinearity (the pretrained encoders) and, for supervised
/// fine-tuning, a linear output layer whose logits feed a softmax. forward returns the logits (or the top
/// features without an output layer); dropout on hidden layers acts in training mode only.
/// </summary>
internal sealed class StackedNetwork : nn.Module<Tensor, Tensor>
{
    private readonly ModuleList<Linear> layers = new();
    private readonly Linear? head;
    private readonly Dropout? dropout;
    private readonly ActivationFunction _activation, _topActivation;

    // topActivation: nonlinearity of the last hidden layer (the features); the other layers use activation.
    public StackedNetwork(int inputSize, IReadOnlyList<int> hiddenLayers, ActivationFunction activation, ActivationFunction topActivation,
        int? classes = null, double dropoutRate = 0)
        : base(nameof(StackedNetwork))
    {
        InputSize = inputSize;
        _activation = activation;
        _topActivation = topActivation;
        int previous = inputSize;
        foreach (var size in hiddenLayers)
        {
            layers.Add(nn.Linear(previous, size));
            previous = size;
        }
        FeatureSize = previous;
        if (classes is int k) head = nn.Linear(previous, k);
        if (dropoutRate > 0) dropout = nn.Dropout(dropoutRate);
        RegisterComponents();
    }

    public int InputSize { get; }

    public int FeatureSize { get; }

    public int Depth => layers.Count;

    public Linear Layer(int index) => layers[index];

    public Linear Head => head ?? throw new InvalidOperationException("This stack has no output layer.");

    /// <summary>The activations of the first <paramref name="depth"/> layers.</summary>
    public Tensor Encode(Tensor x, int depth)
    {
        for (int i = 0; i < depth; i++)
        {
            x = ActivationOf(i).Apply(layers[i].forward(x));
            if (dropout is not null) x = dropout.forward(x);
        }
        return x;
    }

    public override Tensor forward(Tensor x)
    {
        var features = Encode(x, layers.Count);
        return head is null ? features : head.forward(features);
    }

    /// <summary>Loads pretrained encoder weights into the hidden layers.</summary>
    public void Initialise(PretrainedStack stack)
    {
        for (int i = 0; i < layers.Count; i++) stack.Encoders[i].CopyTo(layers[i]);
    }

    /// <summary>The hidden layers as ONNX nodes on a row [InputSize]; returns the top features' value name.</summary>
    public string EmitFeatures(OnnxModelBuilder g, string input)
    {
        var x = input;
        for (int i = 0; i < layers.Count; i++)
            x = OnnxActivation.Emit(g, ActivationOf(i), OnnxLinear.Emit(g, layers[i], x, $"layer{i}"));
        return x;
    }

    private ActivationFunction ActivationOf(int layer) => layer == layers.Count - 1 ? _topActivation : _activation;

    public long ParameterCount => parameters().Sum(p => p.numel());
}
