using Microsoft.ML.Autoencoders.Onnx;
using static TorchSharp.torch;

namespace Microsoft.ML.Autoencoders.Training.Networks;

/// <summary>What turns the decoder's raw output into a reconstruction; fixed by the loss the network trains with.</summary>
internal enum ReconstructionOutput
{
    /// <summary>The raw output itself (squared error).</summary>
    Linear,
    /// <summary>Sigmoid of each value (binary cross-entropy on logits).</summary>
    Sigmoid,
    /// <summary>Softmax over the row (multinomial cross-entropy): the reconstruction is a distribution.</summary>
    Softmax,
}

internal static class ReconstructionOutputs
{
    public static ReconstructionOutput For(ReconstructionLoss loss) => loss switch
    {
        ReconstructionLoss.BinaryCrossEntropy => ReconstructionOutput.Sigmoid,
        ReconstructionLoss.MultinomialCrossEntropy => ReconstructionOutput.Softmax,
        _ => ReconstructionOutput.Linear,
    };

    /// <summary>The reconstruction of a batch [N, InputSize] from the raw decoder output.</summary>
    public static Tensor Apply(this ReconstructionOutput output, Tensor raw) => output switch
    {
        ReconstructionOutput.Sigmoid => sigmoid(raw),
        ReconstructionOutput.Softmax => nn.functional.softmax(raw, 1),
        _ => raw,
    };

    /// <summary>The same as ONNX nodes on the raw output value; returns the reconstruction's value name.</summary>
    public static string Emit(this ReconstructionOutput output, OnnxModelBuilder g, string raw) => output switch
    {
        ReconstructionOutput.Sigmoid => g.Apply("Sigmoid", [raw]),
        ReconstructionOutput.Softmax => g.Apply("Softmax", [raw], OnnxAttribute.Of("axis", -1L)),
        _ => raw,
    };
}
