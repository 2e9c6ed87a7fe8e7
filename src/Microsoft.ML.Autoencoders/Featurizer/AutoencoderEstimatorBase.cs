using Microsoft.ML.Autoencoders.Export;
using Microsoft.ML.Autoencoders.Training;
using Microsoft.ML.Autoencoders.Training.Data;
using Microsoft.ML.Runtime;

namespace Microsoft.ML.Autoencoders;

/// <summary>
/// What every autoencoder estimator shares: column and option checks up front, schema propagation, and
/// Fit = train a network (the family's part) → export to ONNX → <see cref="AutoencoderTransformer"/>.
/// </summary>
public abstract class AutoencoderEstimatorBase : IEstimator<AutoencoderTransformer>
{
    private readonly IHostEnvironment _env;
    private readonly AutoencoderOptions _options;

    private protected AutoencoderEstimatorBase(TransformsCatalog catalog, string outputColumnName, string inputColumnName, AutoencoderOptions options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentException.ThrowIfNullOrEmpty(outputColumnName);
        ArgumentException.ThrowIfNullOrEmpty(inputColumnName);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _env = MLNetInternals.Environment(catalog);
        _options = options;
        Columns = new AutoencoderColumns(inputColumnName, outputColumnName, options.ReconstructionColumnName, options.ReconstructionErrorColumnName);
        Columns.Validate();
    }

    private protected AutoencoderColumns Columns { get; }

    /// <summary>Trains the network of this family on the input column.</summary>
    private protected abstract TrainedNetwork Train(IHost host, IDataView input);

    /// <summary>Trains on <paramref name="input"/> and returns the fitted transformer.</summary>
    public AutoencoderTransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        VectorColumn.RequireKnownSizeSingleVector(input.Schema, Columns.Input);
        TorchRuntime.EnsureAvailable();
        var trained = Train(_env.Register(GetType().Name), input);
        using var network = trained.Network;
        return AutoencoderTransformerFactory.Create(input, network, Columns, trained, _options);
    }

    /// <summary>Adds the code column (and the optional reconstruction columns) to the schema, after checking the input column.</summary>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        VectorColumn.RequireKnownSizeSingleVector(inputSchema, Columns.Input);
        return OutputSchema.Add(inputSchema, Columns, _options.CodeSize);
    }
}
