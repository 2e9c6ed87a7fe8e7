using Microsoft.ML.Autoencoders.Training;
using Microsoft.ML.Autoencoders.Training.Networks;
using Microsoft.ML.Runtime;
using Microsoft.ML.Data;

namespace Microsoft.ML.Autoencoders;

/// <summary>
/// Estimator that trains a denoising autoencoder (Vincent et al. 2008): every training mini-batch is
/// corrupted afresh (masking, Gaussian or salt-and-pepper noise) and the network learns to reconstruct the
/// clean input. The fitted <see cref="AutoencoderTransformer"/> outputs the code and, when
/// <see cref="AutoencoderOptions.ReconstructionColumnName"/> is set, the denoised input: scoring never corrupts.
/// Create it with <c>mlContext.Transforms.DenoisingAutoencoder(...)</c>.
/// </summary>
/// <example>
/// <code>
/// var dae = mlContext.Transforms.DenoisingAutoencoder("Code", "Pixels", new DenoisingAutoencoderOptions
/// {
///     EncoderLayers = [1000, 500, 250], CodeSize = 30,
///     Corruption = CorruptionKind.Masking, CorruptionLevel = 0.5,
///     ReconstructionColumnName = "Denoised",
/// });
/// </code>
/// The runnable version is the Samples <c>denoise</c> scenario.
/// </example>
public sealed class DenoisingAutoencoderTrainer : AutoencoderEstimatorBase
{
    /// <summary>Default values of <see cref="DenoisingAutoencoderOptions"/> beyond those of <see cref="AutoencoderFeaturizer.Defaults"/>.</summary>
    public static class Defaults
    {
        /// <summary>Fraction of values masked (or σ for Gaussian noise).</summary>
        public const double CorruptionLevel = 0.3;
    }

    /// <summary>Creates the estimator; <c>mlContext.Transforms.DenoisingAutoencoder(...)</c> does the same.</summary>
    /// <param name="env">The MLContext (logs, default seed).</param>
    /// <param name="outputColumnName">Column that receives the code.</param>
    /// <param name="inputColumnName">Column to encode: a known-size vector of Single.</param>
    /// <param name="options">Network, corruption, training and output settings.</param>
    public DenoisingAutoencoderTrainer(IHostEnvironment env, string outputColumnName, string inputColumnName, DenoisingAutoencoderOptions options)
        : base(env, outputColumnName, inputColumnName, options) { }

    private protected override string Stage => "Training denoising autoencoder";

    private protected override AutoencoderTraining.NetworkFactory Network(DataViewSchema inputSchema) =>
        (size, output) => DenseAutoencoderNetwork.FromOptions(size, Options, output);
}
