using Microsoft.ML.Autoencoders.Training;
using Microsoft.ML.Autoencoders.Training.Data;
using Microsoft.ML.Autoencoders.Training.Networks;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;

namespace Microsoft.ML.Autoencoders;

/// <summary>
/// Estimator that trains a sequence autoencoder — 1-D convolutions over time, then a dense code — on a column of
/// windows of a time series (a known-size <c>vector&lt;float&gt;</c>, [time, channel] order), and produces an
/// <see cref="AutoencoderTransformer"/>: codes, reconstructions and errors through ONNX like every family. Use it
/// directly, or as the network of a <see cref="StreamingAnomalyDetector"/>
/// (<c>new StreamingAnomalyDetectorOptions { Network = new SequenceAutoencoderOptions() }</c>, which sets the channels).
/// Create it with <c>mlContext.Transforms.SequenceAutoencoderFeaturizer(...)</c>.
/// </summary>
public sealed class SequenceAutoencoderFeaturizer : AutoencoderEstimatorBase
{
    /// <summary>Default values of <see cref="SequenceAutoencoderOptions"/>.</summary>
    public static class Defaults
    {
        /// <summary>Two stride-2 stages of 16 filters.</summary>
        public static readonly IReadOnlyList<int> Filters = [16, 16];

        /// <summary>Kernel span in time steps.</summary>
        public const int KernelSize = 7;

        /// <summary>Code length.</summary>
        public const int CodeSize = 8;
    }

    private readonly SequenceAutoencoderOptions _options;

    /// <summary>Creates the estimator; <c>mlContext.Transforms.SequenceAutoencoderFeaturizer(...)</c> does the same.</summary>
    /// <param name="env">The MLContext (logs, default seed).</param>
    /// <param name="outputColumnName">Column that receives the code.</param>
    /// <param name="inputColumnName">Column of windows: a known-size vector of Single, steps × channels.</param>
    /// <param name="options">Channels, stages, kernel, training and output settings.</param>
    public SequenceAutoencoderFeaturizer(IHostEnvironment env, string outputColumnName, string inputColumnName, SequenceAutoencoderOptions options)
        : base(env, outputColumnName, inputColumnName, options) => _options = options;

    private protected override string Stage => "Training sequence autoencoder";

    private protected override AutoencoderTraining.NetworkFactory Network(DataViewSchema inputSchema)
    {
        int size = VectorColumn.RequireKnownSizeSingleVector(inputSchema, Columns.Input);
        if (size % _options.Channels != 0)
            throw new ArgumentOutOfRangeException(nameof(inputSchema), $"Input column '{Columns.Input}' holds {size} values per row, not a whole number of time steps of {_options.Channels} channels.");
        int window = size / _options.Channels;
        TemporalConvolutionalNetwork.StageLengths(window, _options.Filters, _options.KernelSize);
        return (_, output) => new TemporalConvolutionalNetwork(window, _options.Channels, _options.Filters, _options.KernelSize, _options.EncoderLayersFor(size),
            _options.CodeSize, _options.DecoderLayers ?? [.. _options.EncoderLayersFor(size).Reverse()], _options.Activation, _options.CodeActivation, output);
    }
}

/// <summary>Adds the sequence autoencoder to <c>mlContext.Transforms</c>.</summary>
public static class SequenceCatalogExtensions
{
    /// <summary>A sequence (temporal-convolution) autoencoder over a column of time-series windows; see <see cref="SequenceAutoencoderFeaturizer"/>.</summary>
    /// <param name="catalog">The transforms catalog (<c>mlContext.Transforms</c>).</param>
    /// <param name="outputColumnName">Column that receives the code.</param>
    /// <param name="inputColumnName">Column of windows, [time, channel] order.</param>
    /// <param name="options">Channels, stages and training settings; null uses the defaults (one channel).</param>
    public static SequenceAutoencoderFeaturizer SequenceAutoencoderFeaturizer(this TransformsCatalog catalog, string outputColumnName, string inputColumnName,
        SequenceAutoencoderOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new Autoencoders.SequenceAutoencoderFeaturizer(MLNetInternals.Environment(catalog), outputColumnName, inputColumnName, options ?? new SequenceAutoencoderOptions());
    }
}
