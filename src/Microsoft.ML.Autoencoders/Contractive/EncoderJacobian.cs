using Microsoft.ML.Autoencoders.Training.Networks;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.Autoencoders;

/// <summary>‖∂h/∂x‖²_F of an encoder, per row, averaged over a batch: exact for one dense layer, a Hutchinson estimate otherwise.</summary>
internal static class EncoderJacobian
{
    /// <param name="network">The autoencoder whose encoder is differentiated.</param>
    /// <param name="input">The rows the network was given, [N, InputSize].</param>
    /// <param name="code">The codes the forward pass computed from <paramref name="input"/>, [N, CodeSize].</param>
    public static Tensor SquaredNorm(AutoencoderNetwork network, Tensor input, Tensor code)
    {
        if (network is DenseAutoencoderNetwork { EncoderDepth: 1 } dense && Derivative(dense.CodeActivation, code) is { } slope)
        {
            // J = diag(σ'(a)) W, so ‖J‖² = Σⱼ σ'(aⱼ)² ‖Wⱼ‖² (Wⱼ the weights into unit j).
            var rowNorms = dense.EncoderLayer(0).weight!.pow(2).sum(1);
            return (slope.pow(2) * rowNorms).sum(1).mean();
        }
        // E‖Jᵀv‖² = tr(J Jᵀ) = ‖J‖² for v with E[v vᵀ] = I: one vector-Jacobian product through the encoder.
        var x = input.detach().requires_grad_(true);
        var h = network.Encode(x);
        var v = torch.randint_like(h, 0, 2) * 2 - 1;
        var vjp = torch.autograd.grad([h], [x], [v], retain_graph: true, create_graph: true)[0];
        return vjp.pow(2).sum(1).mean();
    }

    /// <summary>σ′(a) written in terms of the activation's output h = σ(a), or null when it cannot be.</summary>
    private static Tensor? Derivative(ActivationFunction activation, Tensor h) => activation switch
    {
        ActivationFunction.Linear => torch.ones_like(h),
        // masked_fill rather than a bool → float conversion (to_type leaked native memory per step in TorchSharp 0.107).
        ActivationFunction.ReLU => torch.zeros_like(h).masked_fill(h > 0, 1),
        ActivationFunction.LeakyReLU => torch.full_like(h, ActivationFunctionExtensions.LeakyReluSlope).masked_fill(h > 0, 1),
        ActivationFunction.Tanh => 1 - h.pow(2),
        ActivationFunction.Sigmoid => h * (1 - h),
        _ => null,
    };
}
