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
        /// <summary>Widest automatic hidden layer.</summary>
        public const int MaximumAutomaticWidth = 1024;

        /// <summary>Most weights the automatic first layer may hold (inputs × width), so very wide inputs get a narrower layer.</summary>
        public const long MaximumAutomaticWeights = 16_777_216;

        /// <summary>
        /// The hidden layers used when <see cref="AutoencoderOptions.EncoderLayers"/> is null: one layer of a third of the
        /// inputs, between 64 (or the code size) and <see cref="MaximumAutomaticWidth"/> units and at most
        /// <see cref="MaximumAutomaticWeights"/> weights — 1,024 for 32×32 RGB images, 261 for MNIST's 784 pixels, 666
        /// for 2,000 words. Chosen on 800 Fashion-MNIST images (image-search --images, README "Defaults that adapt to the
        /// data": one wide layer reconstructed better than [256, 128], [128], [512] and [512, 256] within the same number of
        /// optimiser steps) and checked on 800 MNIST digits it was not chosen on.
        /// </summary>
        public static int[] AutomaticEncoderLayers(int inputSize, int codeSize = CodeSize)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(inputSize, 1);
            long width = Math.Min(Math.Min(inputSize / 3, MaximumAutomaticWidth), MaximumAutomaticWeights / inputSize);
            return [(int)Math.Max(width, Math.Max(Math.Min(64, MaximumAutomaticWeights / inputSize), codeSize))];
        }
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
