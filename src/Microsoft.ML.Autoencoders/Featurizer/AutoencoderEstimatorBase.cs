using Microsoft.ML.Autoencoders.Export;
using Microsoft.ML.Autoencoders.Training;
using Microsoft.ML.Autoencoders.Training.Data;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;

namespace Microsoft.ML.Autoencoders;

/// <summary>
/// The one estimator every autoencoder family is built on. A family is a small description — its training (the shared
/// loop on its network and the objective <see cref="AutoencoderOptions"/> describe, through
/// <see cref="AutoencoderEstimatorBase"/>; or its own driver, as the stacked pretrainer's) and its output head (columns
/// after the code) — and this base does
/// the rest: column and option checks up front, the promised schema, Fit = train → export to ONNX → one
/// <see cref="AutoencoderTransformer"/> (or a family's subclass of it).
/// </summary>
/// <typeparam name="TTransformer">What <see cref="Fit"/> returns.</typeparam>
public abstract class AutoencoderEstimatorBase<TTransformer> : IEstimator<TTransformer>, IAutoencoderEstimator
    where TTransformer : AutoencoderTransformer
{
    private protected AutoencoderEstimatorBase(IHostEnvironment env, string outputColumnName, string inputColumnName, AutoencoderOptions options)
    {
        ArgumentNullException.ThrowIfNull(env);
        ArgumentException.ThrowIfNullOrEmpty(outputColumnName);
        ArgumentException.ThrowIfNullOrEmpty(inputColumnName);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Environment = env;
        Options = options;
        Columns = new AutoencoderColumns(inputColumnName, outputColumnName, options.ReconstructionColumnName, options.ReconstructionErrorColumnName);
        Columns.Validate();
    }

    private protected IHostEnvironment Environment { get; }

    private protected AutoencoderColumns Columns { get; private set; }

    /// <summary>The options this estimator trains with.</summary>
    internal AutoencoderOptions Options { get; }

    /// <summary>Also writes (x − x̂)² per input value to <paramref name="column"/> (the anomaly detector scores from it).</summary>
    void IAutoencoderEstimator.AddSquaredResidualOutput(string column)
    {
        Columns = Columns with { SquaredResidual = column };
        Columns.Validate();
    }

    // ---- The family's description ----------------------------------------------------------------

    /// <summary>
    /// Trains the family's network. The families on the shared training loop derive from
    /// <see cref="AutoencoderEstimatorBase"/>, which does this from a network and a stage name; a family that drives its
    /// own training (the stacked pretrainer: layer by layer, then fine-tuning) implements it here.
    /// </summary>
    private protected abstract TrainedNetwork Train(IHost host, IDataView input);

    /// <summary>The output head after the code (stock ML.NET transformers reading <paramref name="scored"/>), or null for none.</summary>
    private protected virtual ITransformer? CreateHead(TrainedNetwork trained, DataViewSchema scored) => null;

    /// <summary>The head's columns in the promised schema (checks the columns the head reads).</summary>
    private protected virtual void AddHeadColumns(SchemaShape inputSchema, DataViewSchema.Builder columns) { }

    /// <summary>The fitted transformer over <paramref name="model"/>.</summary>
    private protected abstract TTransformer CreateTransformer(AutoencoderModel model, TrainedNetwork trained);

    // ---- Shared ----------------------------------------------------------------------------------

    /// <summary>Trains on <paramref name="input"/> and returns the fitted transformer.</summary>
    public TTransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        // Options are mutable objects: a setting changed after construction is checked again here, by name, before training.
        Options.Validate();
        VectorColumn.RequireKnownSizeSingleVector(input.Schema, Columns.Input);
        TorchRuntime.EnsureAvailable();
        var trained = Train(Environment.Register(GetType().Name), input);
        using var network = trained.Network;
        var model = AutoencoderModel.Create(input, trained, Columns, Options, scored => CreateHead(trained, scored));
        try
        {
            return CreateTransformer(model, trained);
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    AutoencoderTransformer IAutoencoderEstimator.Fit(IDataView input) => Fit(input);

    /// <summary>Adds the code column, the optional reconstruction columns and the head's columns, after checking the input column.</summary>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        VectorColumn.RequireKnownSizeSingleVector(inputSchema, Columns.Input);
        var columns = new DataViewSchema.Builder();
        // Known-size vectors (a SchemaShape keeps the kind, not the size, so 1 stands for any size): trainers downstream accept only known sizes.
        columns.AddColumn(Columns.Code, new VectorDataViewType(NumberDataViewType.Single, Options.CodeSize));
        foreach (var name in new[] { Columns.Reconstruction, Columns.SquaredResidual, Columns.ReconstructionError }.OfType<string>())
            columns.AddColumn(name, new VectorDataViewType(NumberDataViewType.Single, 1));
        AddHeadColumns(inputSchema, columns);
        return OutputSchema.With(inputSchema, columns);
    }
}

/// <summary>
/// The estimator base of the families trained by the shared loop on the objective their options describe, whose fitted
/// model is a plain <see cref="AutoencoderTransformer"/>: such a family gives its network and how its training is reported.
/// </summary>
public abstract class AutoencoderEstimatorBase : AutoencoderEstimatorBase<AutoencoderTransformer>
{
    private protected AutoencoderEstimatorBase(IHostEnvironment env, string outputColumnName, string inputColumnName, AutoencoderOptions options)
        : base(env, outputColumnName, inputColumnName, options) { }

    /// <summary>The family's network for the input column (checks the column's shape before any data is read).</summary>
    private protected abstract AutoencoderTraining.NetworkFactory Network(DataViewSchema inputSchema);

    /// <summary>How the family's training is reported (e.g. "Training denoising autoencoder").</summary>
    private protected abstract string Stage { get; }

    private protected sealed override TrainedNetwork Train(IHost host, IDataView input) =>
        AutoencoderTraining.Train(host, input, Columns.Input, Options, Network(input.Schema), Stage);

    private protected sealed override AutoencoderTransformer CreateTransformer(AutoencoderModel model, TrainedNetwork trained) => new(model);
}

/// <summary>What the anomaly detector needs of any family's estimator, whatever transformer type it fits.</summary>
internal interface IAutoencoderEstimator
{
    void AddSquaredResidualOutput(string column);
    AutoencoderTransformer Fit(IDataView input);
    SchemaShape GetOutputSchema(SchemaShape inputSchema);
}
