using Microsoft.ML.Autoencoders.Training;
using Microsoft.ML.Autoencoders.Training.Networks;
using Microsoft.ML.Runtime;
using Microsoft.ML.Data;

namespace Microsoft.ML.Autoencoders;

/// <summary>
/// Estimator that trains a deep (fully connected) autoencoder on a known-size <c>vector&lt;float&gt;</c>
/// column and produces an <see cref="AutoencoderTransformer"/> that maps each row to its code.
/// Create it with <c>mlContext.Transforms.AutoencoderFeaturizer(...)</c>.
/// </summary>
/// <example>
/// <code>
/// var pipeline = mlContext.Transforms.AutoencoderFeaturizer("Code", "Pixels",
///         new AutoencoderOptions { EncoderLayers = [1000, 500, 250], CodeSize = 30 })
///     .Append(mlContext.MulticlassClassification.Trainers.LbfgsMaximumEntropy("Label", "Code"));
/// var model = pipeline.Fit(train);
/// mlContext.Model.Save(model, train.Schema, "model.zip");
/// </code>
/// The runnable version is <c>src/Samples/Scenarios/FeaturizerScenario.cs</c>.
/// </example>
public sealed class AutoencoderFeaturizer : AutoencoderEstimatorBase
{
    /// <summary>Default values of <see cref="AutoencoderOptions"/>.</summary>
    public static class Defaults
    {
        /// <summary>Encoder hidden layers.</summary>
        public static readonly IReadOnlyList<int> EncoderLayers = [256, 128];
        /// <summary>Code length.</summary>
        public const int CodeSize = 32;
        /// <summary>Hidden-layer activation.</summary>
        public const ActivationFunction Activation = ActivationFunction.ReLU;
    }

    /// <summary>
    /// Creates the estimator; <c>mlContext.Transforms.AutoencoderFeaturizer(...)</c> does the same.
    /// </summary>
    /// <param name="env">The MLContext (logs, default seed).</param>
    /// <param name="outputColumnName">Column that receives the code.</param>
    /// <param name="inputColumnName">Column to encode: a known-size vector of Single.</param>
    /// <param name="options">Network, training and output settings.</param>
    public AutoencoderFeaturizer(IHostEnvironment env, string outputColumnName, string inputColumnName, AutoencoderOptions options)
        : base(env, outputColumnName, inputColumnName, options) { }

    private protected override string Stage => "Training autoencoder";

    private protected override AutoencoderTraining.NetworkFactory Network(DataViewSchema inputSchema) =>
        (size, output) => DenseAutoencoderNetwork.FromOptions(size, Options, output);
}
