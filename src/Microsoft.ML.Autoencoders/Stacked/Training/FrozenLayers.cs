using Microsoft.ML.Autoencoders.Training;
using Microsoft.ML.Autoencoders.Training.Networks;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Microsoft.ML.Autoencoders.Stacked.Training;

/// <summary>The layers pretrained so far, frozen: what the next layer of a stack learns from.</summary>
internal sealed class FrozenLayers : IDisposable
{
    private readonly ModuleList<Linear> _layers;
    private readonly ActivationFunction _activation;

    public FrozenLayers(IReadOnlyList<LayerWeights> encoders, ActivationFunction activation)
    {
        // Building the layers draws initial weights from torch's generator; they are overwritten at once.
        using (TorchRandomness.Hold()) _layers = DenseLayers.Chain([encoders[0].Inputs, .. encoders.Select(e => e.Outputs)]);
        for (int i = 0; i < encoders.Count; i++) encoders[i].CopyTo(_layers[i]);
        _activation = activation;
        OutputSize = encoders[^1].Outputs;
    }

    public int OutputSize { get; }

    public Tensor Encode(Tensor x) => DenseLayers.Run(_layers, x, _activation, _activation);

    public void Dispose() => _layers.Dispose();
}
