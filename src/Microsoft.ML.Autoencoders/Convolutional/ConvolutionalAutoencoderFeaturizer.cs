using Microsoft.ML.Autoencoders.Training;
using Microsoft.ML.Autoencoders.Training.Networks;
using Microsoft.ML.Runtime;
using Microsoft.ML.Data;

namespace Microsoft.ML.Autoencoders;

/// <summary>
/// Estimator that trains a convolutional autoencoder on a column of images (a known-size <c>vector&lt;float&gt;</c>
/// in ExtractPixels' planes-first order) and produces an <see cref="AutoencoderTransformer"/> whose code column
/// drops into any pipeline. Encoder: Conv2d → activation → MaxPool2d (remembering the argmax positions) per
/// stage, then a dense code layer; decoder: unpooling to those positions (or upsampling) → ConvTranspose2d.
/// Scoring and Save/Load go through ONNX exactly as for <see cref="AutoencoderFeaturizer"/>.
/// Create it with <c>mlContext.Transforms.ConvolutionalAutoencoderFeaturizer(...)</c>.
/// </summary>
/// <example>
/// <code>
/// var pipeline = mlContext.Transforms.LoadImages("Image", imageFolder, "Path")
///     .Append(mlContext.Transforms.ResizeImages("Image", 28, 28))
///     .Append(mlContext.Transforms.ConvertToGrayscale("Image"))
///     .Append(mlContext.Transforms.ExtractPixels("Pixels", "Image", ImagePixelExtractingEstimator.ColorBits.Red, scaleImage: 1f / 255))
///     .Append(mlContext.Transforms.ConvolutionalAutoencoderFeaturizer("Code", "Pixels", new ConvolutionalAutoencoderOptions { CodeSize = 30 }));
/// </code>
/// The runnable version is the Samples <c>image-search</c> scenario.
/// </example>
public sealed class ConvolutionalAutoencoderFeaturizer : AutoencoderEstimatorBase
{
    /// <summary>Default values of <see cref="ConvolutionalAutoencoderOptions"/> beyond those of <see cref="AutoencoderFeaturizer.Defaults"/>.</summary>
    public static class Defaults
    {
        /// <summary>Two stages: 16 then 32 filters of 3×3, each followed by 2×2 max pooling (28×28 → 7×7).</summary>
        public static readonly IReadOnlyList<ConvolutionalLayer> ConvolutionalLayers = [new(16), new(32)];

        /// <summary>
        /// Share of training rows decoded without the pooling positions (<see cref="ConvolutionalAutoencoderOptions.PositionDropout"/>).
        /// Chosen on a validation collection (1,000 Fashion-MNIST images, image-search --images, 2026-11-28; precision@10 of
        /// the codes / reconstruction error): 0 0.675 / 9.8, 0.25 0.697 / 13.6, 0.5 0.696 / 17.8, 0.75 0.706 / 20.8 (PCA
        /// 0.687 / 36.4, raw pixels 0.674); checked on collections it was not chosen on (README, image-search).
        /// </summary>
        public const double PositionDropout = 0.75;
    }

    private readonly ConvolutionalAutoencoderOptions _options;

    /// <summary>Creates the estimator; <c>mlContext.Transforms.ConvolutionalAutoencoderFeaturizer(...)</c> does the same.</summary>
    /// <param name="env">The MLContext (logs, default seed).</param>
    /// <param name="outputColumnName">Column that receives the code.</param>
    /// <param name="inputColumnName">Column of images: a known-size vector of Single, channels × height × width.</param>
    /// <param name="options">Stages, decoder kind, image shape, training and output settings.</param>
    public ConvolutionalAutoencoderFeaturizer(IHostEnvironment env, string outputColumnName, string inputColumnName, ConvolutionalAutoencoderOptions options)
        : base(env, outputColumnName, inputColumnName, options) => _options = options;

    private protected override string Stage => "Training convolutional autoencoder";

    private protected override AutoencoderTraining.NetworkFactory Network(DataViewSchema inputSchema)
    {
        var image = ImageShape.Resolve(inputSchema, Columns.Input, _options.ImageChannels, _options.ImageHeight, _options.ImageWidth);
        ConvolutionalAutoencoderNetwork.CheckFits(image, _options.ConvolutionalLayers);
        return (_, output) => ConvolutionalAutoencoderNetwork.FromOptions(image, _options, output);
    }
}
