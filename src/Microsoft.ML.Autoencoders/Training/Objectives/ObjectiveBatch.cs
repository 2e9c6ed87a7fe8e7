using Microsoft.ML.Autoencoders.Training.Networks;
using static TorchSharp.torch;

namespace Microsoft.ML.Autoencoders.Training.Objectives;

/// <summary>
/// What a training objective sees of one mini-batch: the network, the clean rows (the target), the rows the network
/// was given (corrupted for denoising, else the clean ones), and the forward pass on them.
/// </summary>
internal sealed record ObjectiveBatch(AutoencoderNetwork Network, Tensor Clean, Tensor Input, ForwardPass Pass);
