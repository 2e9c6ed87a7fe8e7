using Microsoft.ML.Autoencoders.Onnx;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Microsoft.ML.Autoencoders.Training.Networks;

/// <summary>
/// A chain of fully connected layers, each followed by the hidden activation except the last, which gets its own
/// (the code layer's, or linear for a raw output): built, run and written to ONNX the same way by every network. The
/// torch pass and the ONNX nodes of a layer are defined side by side here, so they cannot drift apart.
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
            x = (i == layers.Count - 1 ? last : hidden).Emit(g, EmitLinear(g, layers[i], x, $"{prefix}{i}"));
        return x;
    }

    /// <summary>
    /// One layer y = x·Wᵀ + b as ONNX MatMul + Add. TorchSharp stores W as [out, in]; ONNX MatMul wants [in, out], so W is
    /// transposed here. Works for a row [in] as well as a batch [N, in].
    /// </summary>
    private static string EmitLinear(OnnxModelBuilder g, Linear layer, string x, string hint)
    {
        using var scope = NewDisposeScope();
        var w = layer.weight!.detach().cpu().t().contiguous();
        var y = g.Apply("MatMul", [x, g.AddInitializer(hint + "_w", w.data<float>().ToArray(), w.shape[0], w.shape[1])]);
        if (layer.bias is null) return y;
        var b = layer.bias.detach().cpu().contiguous();
        return g.Apply("Add", [y, g.AddInitializer(hint + "_b", b.data<float>().ToArray(), b.shape[0])]);
    }
}
