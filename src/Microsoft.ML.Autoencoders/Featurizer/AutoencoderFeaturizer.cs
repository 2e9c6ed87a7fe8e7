using Microsoft.ML.Autoencoders.Export;
using Microsoft.ML.Autoencoders.Training;
using Microsoft.ML.Autoencoders.Training.Data;
using Microsoft.ML.Autoencoders.Training.Networks;
using Microsoft.ML.Data;
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
public sealed class AutoencoderFeaturizer : IEstimator<AutoencoderTransformer>
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

    private readonly IHostEnvironment _env;
    private readonly TransformsCatalog _catalog;
    private readonly AutoencoderColumns _columns;
    private readonly AutoencoderOptions _options;

    internal AutoencoderFeaturizer(TransformsCatalog catalog, string outputColumnName, string inputColumnName, AutoencoderOptions options)
    {
        ArgumentException.ThrowIfNullOrEmpty(outputColumnName);
        ArgumentException.ThrowIfNullOrEmpty(inputColumnName);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _catalog = catalog;
        _env = MLNetInternals.Environment(catalog);
        _options = options;
        _columns = new AutoencoderColumns(inputColumnName, outputColumnName, options.ReconstructionColumnName, options.ReconstructionErrorColumnName);
        _columns.Validate();
    }

    /// <summary>Trains the autoencoder on <paramref name="input"/> and returns the fitted transformer.</summary>
    public AutoencoderTransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var host = _env.Register(nameof(AutoencoderFeaturizer));
        var o = _options;
        var trained = AutoencoderTraining.Train(host, input, _columns.Input, o, (size, sigmoid) =>
            new DenseAutoencoderNetwork(size, o.EncoderLayers, o.CodeSize, o.DecoderLayers ?? [.. o.EncoderLayers.Reverse()],
                o.Activation, o.CodeActivation, sigmoid));
        using var network = trained.Network;
        return AutoencoderTransformerFactory.Create(_catalog, input, network, _columns, trained, o);
    }

    /// <summary>Adds the code column (and the optional reconstruction columns) to the schema, after checking the input column.</summary>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        VectorColumn.RequireKnownSizeSingleVector(inputSchema, _columns.Input);
        return OutputSchema.Add(inputSchema, _columns, _options.CodeSize);
    }
}
