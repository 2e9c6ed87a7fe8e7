using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Microsoft.ML.Autoencoders.Export;

/// <summary>Emits a TorchSharp <see cref="Linear"/> layer as ONNX MatMul + Add.</summary>
internal static class OnnxLinear
{
    /// <summary>
    /// y = x·Wᵀ + b. TorchSharp stores W as [out, in]; ONNX MatMul wants [in, out], so W is transposed here.
    /// Works for a row [in] as well as a batch [N, in].
    /// </summary>
    public static string Emit(OnnxModelBuilder g, Linear layer, string x, string hint)
    {
        using var scope = NewDisposeScope();
        var w = layer.weight!.detach().cpu().t().contiguous();
        var weightName = g.AddInitializer(hint + "_w", w.data<float>().ToArray(), w.shape[0], w.shape[1]);
        var y = g.Apply("MatMul", [x, weightName]);
        if (layer.bias is null) return y;
        var b = layer.bias.detach().cpu().contiguous();
        var biasName = g.AddInitializer(hint + "_b", b.data<float>().ToArray(), b.shape[0]);
        return g.Apply("Add", [y, biasName]);
    }
}
