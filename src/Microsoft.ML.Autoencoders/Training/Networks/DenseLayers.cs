using Microsoft.ML.Autoencoders.Export;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Microsoft.ML.Autoencoders.Training.Networks;

/// <summary>
/// A chain of fully connected layers, each followed by the hidden activation except the last, which gets its own
/// (the code layer's, or linear for a raw output): built, run and written to ONNX the same way by every network.
/// </summary>
internal static class DenseLayers
{
    /// <summary>Linear layers sizes[0] → sizes[1] → … → sizes[^1].</summary>
    public static ModuleList<Linear> Chain(int[] sizes)
    {
        var list = new ModuleList<Linear>();
        for (int i = 0; i + 1 < sizes.Length; i++) list.Add(nn.Linear(sizes[i], sizes[i + 1]));
        return list;
    }

    /// <summary>Runs the chain on a batch; with <paramref name="dropout"/> &gt; 0, drops that fraction of every layer's outputs.</summary>
    public static Tensor Run(ModuleList<Linear> layers, Tensor x, ActivationFunction hidden, ActivationFunction last, double dropout = 0)
    {
        for (int i = 0; i < layers.Count; i++)
        {
            x = (i == layers.Count - 1 ? last : hidden).Apply(layers[i].forward(x));
            if (dropout > 0) x = nn.functional.dropout(x, dropout, training: true);
        }
        return x;
    }

    /// <summary>Writes the chain as ONNX nodes (works on a row [in] and on a batch [N, in]); returns the output value name.</summary>
    public static string Emit(OnnxModelBuilder g, ModuleList<Linear> layers, string x, ActivationFunction hidden, ActivationFunction last, string prefix)
    {
        for (int i = 0; i < layers.Count; i++)
            x = OnnxActivation.Emit(g, i == layers.Count - 1 ? last : hidden, OnnxLinear.Emit(g, layers[i], x, $"{prefix}{i}"));
        return x;
    }
}
