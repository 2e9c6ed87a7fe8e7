namespace Microsoft.ML.Autoencoders.Export;

/// <summary>Emits the ONNX node(s) for an <see cref="ActivationFunction"/>.</summary>
internal static class OnnxActivation
{
    public static string Emit(OnnxModelBuilder g, ActivationFunction activation, string x) => activation switch
    {
        ActivationFunction.Linear => x,
        ActivationFunction.ReLU => g.Apply("Relu", [x]),
        ActivationFunction.LeakyReLU => g.Apply("LeakyRelu", [x], OnnxAttribute.Of("alpha", ActivationFunctionExtensions.LeakyReluSlope)),
        ActivationFunction.Tanh => g.Apply("Tanh", [x]),
        ActivationFunction.Sigmoid => g.Apply("Sigmoid", [x]),
        ActivationFunction.GELU => g.Apply("Gelu", [x]),
        _ => throw new ArgumentOutOfRangeException(nameof(activation), activation, "Unknown activation function."),
    };
}
