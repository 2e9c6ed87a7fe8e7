using Microsoft.ML.Autoencoders.Training;
using Microsoft.ML.Autoencoders.Training.Networks;
using Microsoft.ML.Runtime;

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
        /// <summary>Adam learning rate.</summary>
        public const double LearningRate = 1e-3;
        /// <summary>Rows per mini-batch.</summary>
        public const int BatchSize = 256;
        /// <summary>Training epochs.</summary>
        public const int Epochs = 10;
        /// <summary>Early-stopping patience (epochs).</summary>
        public const int EarlyStoppingPatience = 5;
    }

    private readonly AutoencoderOptions _options;

    internal AutoencoderFeaturizer(IHostEnvironment env, string outputColumnName, string inputColumnName, AutoencoderOptions options)
        : base(env, outputColumnName, inputColumnName, options) => _options = options;

    private protected override TrainedNetwork Train(IHost host, IDataView input) =>
        AutoencoderTraining.Train(host, input, Columns.Input, _options, (size, output) => DenseAutoencoderNetwork.FromOptions(size, _options, output));
}
