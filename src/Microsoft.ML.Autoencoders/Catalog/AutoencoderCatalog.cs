namespace Microsoft.ML.Autoencoders;

/// <summary>Extension methods that add the autoencoder estimators to <c>mlContext.Transforms</c>.</summary>
public static class AutoencoderCatalog
{
    /// <summary>
    /// Trains a deep autoencoder on <paramref name="inputColumnName"/> (a known-size vector of Single) and
    /// writes each row's code to <paramref name="outputColumnName"/> as <c>vector&lt;float&gt;[codeSize]</c>.
    /// </summary>
    /// <param name="catalog">The transforms catalog (<c>mlContext.Transforms</c>).</param>
    /// <param name="outputColumnName">Column that receives the code.</param>
    /// <param name="inputColumnName">Column to encode: a known-size vector of Single.</param>
    /// <param name="codeSize">Length of the code.</param>
    /// <param name="encoderLayers">Hidden layer sizes of the encoder (the decoder mirrors them). Null sizes them from the input (<see cref="AutoencoderFeaturizer.Defaults.AutomaticEncoderLayers"/>).</param>
    /// <param name="epochs">Passes over the training data; null adapts them to the data (see <see cref="AutoencoderTrainingOptions.Epochs"/>).</param>
    /// <example>
    /// <code>
    /// var pipeline = mlContext.Transforms.AutoencoderFeaturizer("Code", "Pixels", codeSize: 30, encoderLayers: [1000, 500, 250]);
    /// </code>
    /// </example>
    public static AutoencoderFeaturizer AutoencoderFeaturizer(this TransformsCatalog catalog, string outputColumnName, string inputColumnName,
        int codeSize = Autoencoders.AutoencoderFeaturizer.Defaults.CodeSize, int[]? encoderLayers = null,
        int? epochs = null)
        => catalog.AutoencoderFeaturizer(outputColumnName, inputColumnName, new AutoencoderOptions
        {
            CodeSize = codeSize,
            EncoderLayers = encoderLayers,
            Epochs = epochs,
        });

    /// <summary>
    /// Trains a deep autoencoder configured by <paramref name="options"/> on <paramref name="inputColumnName"/>
    /// and writes each row's code to <paramref name="outputColumnName"/>; the options can also ask for the
    /// reconstruction and the reconstruction error (an anomaly score) as extra columns.
    /// </summary>
    /// <param name="catalog">The transforms catalog (<c>mlContext.Transforms</c>).</param>
    /// <param name="outputColumnName">Column that receives the code.</param>
    /// <param name="inputColumnName">Column to encode: a known-size vector of Single.</param>
    /// <param name="options">Network, training and output settings.</param>
    public static AutoencoderFeaturizer AutoencoderFeaturizer(this TransformsCatalog catalog, string outputColumnName, string inputColumnName,
        AutoencoderOptions options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new AutoencoderFeaturizer(MLNetInternals.Environment(catalog), outputColumnName, inputColumnName, options);
    }

    /// <summary>
    /// Trains a denoising autoencoder on <paramref name="inputColumnName"/>: each training mini-batch is corrupted
    /// (masking noise by default) and the network learns to restore the clean input. Writes the code to
    /// <paramref name="outputColumnName"/>; set <see cref="AutoencoderOptions.ReconstructionColumnName"/> to also
    /// get the denoised input.
    /// </summary>
    /// <param name="catalog">The transforms catalog (<c>mlContext.Transforms</c>).</param>
    /// <param name="outputColumnName">Column that receives the code.</param>
    /// <param name="inputColumnName">Column to encode: a known-size vector of Single.</param>
    /// <param name="options">Network, corruption, training and output settings.</param>
    public static DenoisingAutoencoderTrainer DenoisingAutoencoder(this TransformsCatalog catalog, string outputColumnName, string inputColumnName,
        DenoisingAutoencoderOptions options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new DenoisingAutoencoderTrainer(MLNetInternals.Environment(catalog), outputColumnName, inputColumnName, options);
    }

    /// <summary>
    /// Trains a stacked autoencoder on <paramref name="inputColumnName"/>: greedy layer-wise pretraining on every row,
    /// then fine-tuning (by default supervised, on the rows of <see cref="StackedPretrainerOptions.LabelColumnName"/>
    /// that have a label). Writes the top hidden layer to <paramref name="outputColumnName"/> and, when supervised,
    /// <c>Score</c> and <c>PredictedLabel</c>.
    /// </summary>
    /// <param name="catalog">The transforms catalog (<c>mlContext.Transforms</c>).</param>
    /// <param name="outputColumnName">Column that receives the top hidden layer's activations (the code).</param>
    /// <param name="inputColumnName">Column to encode: a known-size vector of Single.</param>
    /// <param name="options">Layers, pretraining, fine-tuning and output settings; null uses the defaults.</param>
    public static StackedPretrainer StackedPretrainer(this TransformsCatalog catalog, string outputColumnName, string inputColumnName,
        StackedPretrainerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new StackedPretrainer(MLNetInternals.Environment(catalog), outputColumnName, inputColumnName, options ?? new StackedPretrainerOptions());
    }

    /// <summary>
    /// Trains a convolutional autoencoder on <paramref name="inputColumnName"/>, a column of images as ML.NET's
    /// <c>ExtractPixels</c> writes them (planes first), and writes each image's code to <paramref name="outputColumnName"/>.
    /// The image size comes from the column's dimensions or from the options.
    /// </summary>
    /// <param name="catalog">The transforms catalog (<c>mlContext.Transforms</c>).</param>
    /// <param name="outputColumnName">Column that receives the code.</param>
    /// <param name="inputColumnName">Column of images: a known-size vector of Single, channels × height × width.</param>
    /// <param name="options">Stages, decoder kind, image shape, training and output settings; null uses the defaults.</param>
    public static ConvolutionalAutoencoderFeaturizer ConvolutionalAutoencoderFeaturizer(this TransformsCatalog catalog, string outputColumnName, string inputColumnName,
        ConvolutionalAutoencoderOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new Autoencoders.ConvolutionalAutoencoderFeaturizer(MLNetInternals.Environment(catalog), outputColumnName, inputColumnName, options ?? new ConvolutionalAutoencoderOptions());
    }
}
