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

    private protected AutoencoderEstimatorBase(IHostEnvironment env, string outputColumnName, string inputColumnName, AutoencoderOptions options)
    {
        ArgumentNullException.ThrowIfNull(env);
        ArgumentException.ThrowIfNullOrEmpty(outputColumnName);
        ArgumentException.ThrowIfNullOrEmpty(inputColumnName);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _env = env;
        _options = options;
        Columns = new AutoencoderColumns(inputColumnName, outputColumnName, options.ReconstructionColumnName, options.ReconstructionErrorColumnName);
        Columns.Validate();
    }

    private protected AutoencoderColumns Columns { get; private set; }

    /// <summary>Also writes (x − x̂)² per input value to <paramref name="column"/> (the anomaly detector scores from it).</summary>
    internal void AddSquaredResidualOutput(string column)
    {
        Columns = Columns with { SquaredResidual = column };
        Columns.Validate();
    }

    /// <summary>The options this estimator trains with.</summary>
    internal AutoencoderOptions Options => _options;

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
