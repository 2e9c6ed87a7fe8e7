using Microsoft.ML.Autoencoders.Training;
using Microsoft.ML.Autoencoders.Training.Networks;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;

namespace Microsoft.ML.Autoencoders;

/// <summary>
/// Estimator that trains a variational autoencoder (Kingma &amp; Welling 2014) on a known-size <c>vector&lt;float&gt;</c>
/// column: encoder → (μ, log σ²) → a reparameterised sample → decoder, trained on the reconstruction negative
/// log-likelihood plus β · KL(q(z|x) ‖ N(0, I)). Its <see cref="AutoencoderTransformer"/> writes μ as the code (deterministic),
/// and the reconstruction from μ when asked; scoring and Save/Load go through ONNX like every family. Create it with
/// <c>mlContext.Transforms.VariationalAutoencoder(...)</c>.
/// </summary>
public sealed class VariationalAutoencoder : AutoencoderEstimatorBase
{
    /// <summary>Default values of <see cref="VariationalAutoencoderOptions"/> beyond those of <see cref="AutoencoderFeaturizer.Defaults"/>.</summary>
    public static class Defaults
    {
        /// <summary>Code length (Burda et al.'s one-stochastic-layer MNIST model has 50).</summary>
        public const int CodeSize = 16;
    }

    private readonly VariationalAutoencoderOptions _options;

    /// <summary>Creates the estimator; <c>mlContext.Transforms.VariationalAutoencoder(...)</c> does the same.</summary>
    /// <param name="env">The MLContext (logs, default seed).</param>
    /// <param name="outputColumnName">Column that receives the code (the posterior mean μ).</param>
    /// <param name="inputColumnName">Column to encode: a known-size vector of Single.</param>
    /// <param name="options">Network, KL and training settings.</param>
    public VariationalAutoencoder(IHostEnvironment env, string outputColumnName, string inputColumnName, VariationalAutoencoderOptions options)
        : base(env, outputColumnName, inputColumnName, options) => _options = options;

    private protected override string Stage => "Training variational autoencoder";

    private protected override AutoencoderTraining.NetworkFactory Network(DataViewSchema inputSchema) => (size, output) =>
    {
        int[] encoder = _options.EncoderLayersFor(size);
        return new VariationalAutoencoderNetwork(size, encoder, _options.CodeSize, _options.DecoderLayers ?? [.. encoder.Reverse()], _options.Activation, output);
    };
}

/// <summary>Adds the variational autoencoder to <c>mlContext.Transforms</c>.</summary>
public static class VariationalCatalogExtensions
{
    /// <summary>A variational autoencoder over a vector column; see <see cref="Autoencoders.VariationalAutoencoder"/>.</summary>
    /// <param name="catalog">The transforms catalog (<c>mlContext.Transforms</c>).</param>
    /// <param name="outputColumnName">Column that receives the code (μ).</param>
    /// <param name="inputColumnName">Column to encode.</param>
    /// <param name="options">Network, KL and training settings; null uses the defaults.</param>
    public static VariationalAutoencoder VariationalAutoencoder(this TransformsCatalog catalog, string outputColumnName, string inputColumnName,
        VariationalAutoencoderOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new Autoencoders.VariationalAutoencoder(MLNetInternals.Environment(catalog), outputColumnName, inputColumnName, options ?? new VariationalAutoencoderOptions());
    }
}
