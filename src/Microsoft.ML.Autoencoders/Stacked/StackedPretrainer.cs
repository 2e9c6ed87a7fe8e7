using System.Reflection;
using Microsoft.ML.Autoencoders.Export;
using Microsoft.ML.Autoencoders.Training;
using Microsoft.ML.Autoencoders.Training.Augmentation;
using Microsoft.ML.Autoencoders.Training.Data;
using Microsoft.ML.Autoencoders.Stacked.Training;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;

namespace Microsoft.ML.Autoencoders;

/// <summary>
/// Estimator for a stacked autoencoder, the classic deep-learning recipe: greedy layer-wise pretraining (each
/// hidden layer trained as a denoising/sparse autoencoder on the codes of the layer below, on every row, labelled
/// or not), then fine-tuning the whole stack — supervised with a softmax output layer on the labelled rows, or
/// unsupervised as an unrolled deep autoencoder. Rows whose label is missing are used for pretraining only, so one
/// IDataView carries a semi-supervised problem. The <see cref="StackedPretrainerTransformer"/> writes the top
/// hidden layer as a feature vector and, when supervised, <c>Score</c> and <c>PredictedLabel</c> ready for
/// <c>mlContext.MulticlassClassification.Evaluate</c>. Create it with <c>mlContext.Transforms.StackedPretrainer(...)</c>.
/// </summary>
/// <example>
/// <code>
/// var pretrainer = mlContext.Transforms.StackedPretrainer("Features", "Pixels", new StackedPretrainerOptions
/// {
///     EncoderLayers = [1000, 1000], CodeSize = 500, LabelColumnName = "Label",   // missing labels: pretraining only
/// });
/// var model = pretrainer.Fit(trainWithFewLabels);
/// var metrics = mlContext.MulticlassClassification.Evaluate(model.Transform(test));
/// </code>
/// The runnable version is the Samples <c>pretrain</c> scenario.
/// </example>
public sealed class StackedPretrainer : AutoencoderEstimatorBase<StackedPretrainerTransformer>
{
    /// <summary>Default values of <see cref="StackedPretrainerOptions"/>.</summary>
    public static class Defaults
    {
        /// <summary>Layers below the code (the lecture's 1000-1000-500 stack).</summary>
        public static readonly IReadOnlyList<int> EncoderLayers = [1000, 1000];
        /// <summary>Size of the top layer: the features (the lecture's 500).</summary>
        public const int CodeSize = 500;
        /// <summary>Hidden-layer activation (on MNIST with 1000 labels, ReLU: 6.7% test error vs sigmoid 8.1%).</summary>
        public const ActivationFunction Activation = ActivationFunction.ReLU;
        /// <summary>Masking-noise fraction of each pretraining layer's input.</summary>
        public const double CorruptionLevel = 0.5;
        /// <summary>Pretraining epochs per layer (on MNIST with 100 / 1000 labels, 20 epochs: 15.0% / 5.4% test error after fine-tuning; 5 epochs: 17.0% / 6.3%).</summary>
        public const int PretrainingEpochs = 20;
        /// <summary>Rows per mini-batch.</summary>
        public const int BatchSize = 128;
        /// <summary>Fine-tuning epochs.</summary>
        public const int FineTuningEpochs = 30;
        /// <summary>Fine-tuning learning rate (Adam).</summary>
        public const double FineTuningLearningRate = 3e-4;
    }

    private readonly StackedPretrainerOptions _options;

    /// <summary>Creates the estimator; <c>mlContext.Transforms.StackedPretrainer(...)</c> does the same.</summary>
    /// <param name="env">The MLContext (logs, default seed).</param>
    /// <param name="outputColumnName">Column that receives the top hidden layer's activations (the code).</param>
    /// <param name="inputColumnName">Column to encode: a known-size vector of Single.</param>
    /// <param name="options">Layers, pretraining, fine-tuning and output settings.</param>
    public StackedPretrainer(IHostEnvironment env, string outputColumnName, string inputColumnName, StackedPretrainerOptions options)
        : base(env, outputColumnName, inputColumnName, options)
    {
        _options = options;
        if (!Supervised) return;
        var taken = Columns.Outputs.Append(Columns.Input).ToHashSet();
        foreach (var name in new[] { options.ScoreColumnName, options.PredictedLabelColumnName })
            if (!taken.Add(name))
                throw new ArgumentException($"Column name '{name}' is used twice among the input, code, score and predicted-label columns.");
    }

    /// <summary>ML.NET's annotation kind for a key column's value names (its constant is internal).</summary>
    private const string KeyValues = "KeyValues";

    /// <summary>Supervised or Ladder: the model ends in a softmax layer (Score, PredictedLabel).</summary>
    private bool Supervised => _options.Classifies;

    /// <summary>The driver: pretrains the stack layer by layer (unless given one), then fine-tunes it.</summary>
    private protected override TrainedNetwork Train(IHost host, IDataView input)
    {
        var o = _options;
        int size = VectorColumn.RequireKnownSizeSingleVector(input.Schema, Columns.Input);
        var label = Supervised ? LabelColumn.Resolve(input.Schema, o.LabelColumnName) : null;
        int seed = o.Seed ?? host.Rand.Next();
        o.PretrainedStack?.CheckFits(size, o);
        var augment = Augmenter.For(o.Augmentation, input.Schema, Columns.Input);

        if (o.FineTuning == StackedFineTuning.Supervised && (o.PretrainedStack is not null || !o.Pretrain))
        {
            // Only the labelled rows are needed: one scan checks every row and gives the range the loss follows.
            var scan = DataScan.Run(input, Columns.Input, size, o.CancellationToken);
            if (scan.Rows == 0) throw new InvalidOperationException($"The training data is empty: column '{Columns.Input}' has no rows.");
            using var labelled = LabelledData.Prepare(input, Columns.Input, label!, o, seed);
            return StackedTraining.FineTuneSupervised(host, labelled, AutoencoderTraining.ResolveLoss(o.Loss, scan.Min, scan.Max, Columns.Input), o.PretrainedStack, o, augment);
        }
        using var allRows = TrainingData.Prepare(input, Columns.Input, o, seed);
        var loss = AutoencoderTraining.ResolveLoss(o.Loss, allRows.Min, allRows.Max, Columns.Input);
        var stack = o.PretrainedStack ?? (o.Pretrain ? StackedTraining.Pretrain(host, allRows, loss, o, augment) : null);
        switch (o.FineTuning)
        {
            case StackedFineTuning.Supervised:
                using (var labelled = LabelledData.Prepare(input, Columns.Input, label!, o, seed))
                    return StackedTraining.FineTuneSupervised(host, labelled, loss, stack, o, augment);
            case StackedFineTuning.Ladder:
                using (var labelled = LabelledData.Prepare(input, Columns.Input, label!, o, seed))
                    return LadderTraining.Train(host, allRows, labelled, loss, stack, o, augment);
            case StackedFineTuning.Unsupervised:
                return StackedTraining.FineTuneUnsupervised(host, allRows, Columns.Input, loss, stack!, o, augment);
            default:
                return StackedTraining.AsPretrained(allRows, loss, stack!, o);
        }
    }

    /// <summary>When supervised: ML.NET's multiclass predictor over the code (writes Score and PredictedLabel).</summary>
    private protected override ITransformer? CreateHead(TrainedNetwork trained, DataViewSchema scored) =>
        ((StackedTrainingResult)trained).Softmax is { } softmax
            ? SoftmaxPredictor.Create(Environment, softmax.Weights, softmax.Bias, scored, Columns.Code, _options.LabelColumnName, _options.ScoreColumnName, _options.PredictedLabelColumnName)
            : null;

    /// <summary>When supervised: the score vector and the predicted label, a key with the label's key names (so MapKeyToValue works downstream).</summary>
    private protected override void AddHeadColumns(SchemaShape inputSchema, DataViewSchema.Builder columns)
    {
        if (!Supervised) return;
        var label = inputSchema.FirstOrDefault(c => c.Name == _options.LabelColumnName);
        if (label.Name is null)
            throw new ArgumentOutOfRangeException(nameof(inputSchema), $"Label column '{_options.LabelColumnName}' not found. Available columns: {string.Join(", ", inputSchema.Select(c => $"'{c.Name}'"))}.");
        columns.AddColumn(_options.ScoreColumnName, new VectorDataViewType(NumberDataViewType.Single, 1));
        var annotations = new DataViewSchema.Annotations.Builder();
        // The names themselves are known after training; the promise is that they exist, of the label's value type.
        if (label.IsKey && label.Annotations.FirstOrDefault(a => a.Name == KeyValues) is { Name: not null } names && names.ItemType is PrimitiveDataViewType valueType)
            typeof(StackedPretrainer).GetMethod(nameof(AddKeyValues), BindingFlags.Static | BindingFlags.NonPublic)!
                .MakeGenericMethod(valueType.RawType).Invoke(null, [annotations, valueType]);
        columns.AddColumn(_options.PredictedLabelColumnName, new KeyDataViewType(typeof(uint), int.MaxValue), annotations.ToAnnotations());
    }

    private static void AddKeyValues<T>(DataViewSchema.Annotations.Builder annotations, PrimitiveDataViewType valueType)
    {
        ValueGetter<VBuffer<T>> none = (ref VBuffer<T> value) => value = new VBuffer<T>(0, []);
        annotations.Add(KeyValues, new VectorDataViewType(valueType, 1), none);
    }

    private protected override StackedPretrainerTransformer CreateTransformer(AutoencoderModel model, TrainedNetwork trained)
    {
        var result = (StackedTrainingResult)trained;
        return new StackedPretrainerTransformer(model, result.Pretrained, result.Softmax?.Bias.Length ?? 0,
            Supervised ? _options.ScoreColumnName : null, Supervised ? _options.PredictedLabelColumnName : null);
    }
}
