using static TorchSharp.torch;

namespace Microsoft.ML.Autoencoders.Training.Networks;

/// <summary>A variational network's training pass: the code (μ), the decoder's raw output for the sampled code, and q(z|x)'s mean and log-variance.</summary>
internal sealed record VariationalPass(Tensor Code, Tensor Raw, Tensor Mean, Tensor LogVariance) : ForwardPass(Code, Raw);
