using Microsoft.ML.Autoencoders.Onnx;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.Autoencoders;

/// <summary>Element-wise nonlinearity applied after a hidden layer.</summary>
public enum ActivationFunction
{
    /// <summary>Identity: the layer stays linear (the default for the code layer).</summary>
    Linear,
    /// <summary>max(0, x).</summary>
    ReLU,
    /// <summary>x for x &gt; 0, 0.01·x otherwise.</summary>
    LeakyReLU,
    /// <summary>Hyperbolic tangent.</summary>
    Tanh,
    /// <summary>Logistic sigmoid 1 / (1 + e^-x).</summary>
    Sigmoid,
    /// <summary>Gaussian error linear unit, x·Φ(x) (exact, erf-based form).</summary>
    GELU,
}

internal static class ActivationFunctionExtensions
{
    /// <summary>Negative slope used by <see cref="ActivationFunction.LeakyReLU"/> in training and in ONNX export.</summary>
    public const float LeakyReluSlope = 0.01f;

    public static Tensor Apply(this ActivationFunction activation, Tensor x) => activation switch
    {
        ActivationFunction.Linear => x,
        ActivationFunction.ReLU => nn.functional.relu(x),
        ActivationFunction.LeakyReLU => nn.functional.leaky_relu(x, LeakyReluSlope),
        ActivationFunction.Tanh => torch.tanh(x),
        ActivationFunction.Sigmoid => torch.sigmoid(x),
        ActivationFunction.GELU => nn.functional.gelu(x),
        _ => throw new ArgumentOutOfRangeException(nameof(activation), activation, "Unknown activation function."),
    };

    /// <summary>The same function as ONNX node(s) on the value <paramref name="x"/>; returns the result's value name.</summary>
    public static string Emit(this ActivationFunction activation, OnnxModelBuilder g, string x) => activation switch
    {
        ActivationFunction.Linear => x,
        ActivationFunction.ReLU => g.Apply("Relu", [x]),
        ActivationFunction.LeakyReLU => g.Apply("LeakyRelu", [x], OnnxAttribute.Of("alpha", LeakyReluSlope)),
        ActivationFunction.Tanh => g.Apply("Tanh", [x]),
        ActivationFunction.Sigmoid => g.Apply("Sigmoid", [x]),
        ActivationFunction.GELU => g.Apply("Gelu", [x]),
        _ => throw new ArgumentOutOfRangeException(nameof(activation), activation, "Unknown activation function."),
    };
}
