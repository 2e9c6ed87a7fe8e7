namespace Microsoft.ML.Autoencoders.Experiments;

/// <summary>
/// A trial of <see cref="AutoencoderSearchSpace.Default"/> as typed settings: the space is declared with these property
/// names and <see cref="AutoencoderSearchSpace.CreateEstimator"/> reads them back through
/// <see cref="Parameters.As{TOptions}"/>, so no setting is named twice by a string. Properties that are not
/// active at a trial's point keep the values here.
/// </summary>
public sealed class AutoencoderTrialSettings
{
    /// <summary>dense, denoising, stacked or convolutional.</summary>
    public string Family { get; set; } = "dense";

    /// <summary>Denoising only: the noise.</summary>
    public CorruptionKind Corruption { get; set; } = CorruptionKind.Masking;

    /// <summary>Denoising only: the noise level.</summary>
    public double CorruptionLevel { get; set; } = 0.3;

    /// <summary>Length of the code.</summary>
    public int CodeSize { get; set; } = AutoencoderFeaturizer.Defaults.CodeSize;

    /// <summary>Hidden encoder layers (their widths halve layer by layer from <see cref="Width"/>).</summary>
    public int Depth { get; set; } = 1;

    /// <summary>Width of the first hidden layer.</summary>
    public int Width { get; set; } = 256;

    /// <summary>Hidden-layer activation.</summary>
    public ActivationFunction Activation { get; set; } = AutoencoderFeaturizer.Defaults.Activation;

    /// <summary>none, or l1 (with <see cref="CodeL1Penalty"/>).</summary>
    public string Sparsity { get; set; } = "none";

    /// <summary>L1 weight on the code, when <see cref="Sparsity"/> is l1.</summary>
    public double CodeL1Penalty { get; set; }

    /// <summary>Learning rate.</summary>
    public double LearningRate { get; set; } = AutoencoderTrainingOptions.Defaults.LearningRate;

    /// <summary>Rows per mini-batch.</summary>
    public int BatchSize { get; set; } = 128;

    /// <summary>Epochs at the full budget.</summary>
    public int Epochs { get; set; } = 40;
}

/// <summary>
/// A default search space over this package's families and the factory that turns its parameters into an estimator,
/// for <see cref="AutoencoderExperiment.SetPipeline"/>. Settings: <c>Family</c> (dense, denoising with its
/// <c>Corruption</c> and <c>CorruptionLevel</c>, stacked, and convolutional when images are given), <c>CodeSize</c>,
/// <c>Depth</c> and <c>Width</c> of the encoder (widths halve layer by layer), <c>Activation</c>, <c>Sparsity</c> (none,
/// or an L1 <c>CodeL1Penalty</c>), <c>LearningRate</c>, <c>BatchSize</c> and <c>Epochs</c> (scaled by a trial's budget).
/// </summary>
public static class AutoencoderSearchSpace
{
    /// <summary>
    /// The default space; <paramref name="convolutional"/> adds the convolutional family (image columns only). Its declared
    /// defaults (<see cref="ParameterSpace.DefaultPoint"/>, where the local-search and successive-halving tuners start) are
    /// the library's defaults as far as the space can express them: the dense family, a 32-d code, ReLU, no sparsity,
    /// learning rate 1e-3, batches of 128, <paramref name="maxEpochs"/> epochs and one hidden layer as wide as the automatic
    /// one for <paramref name="inputSize"/> inputs (256 when not given).
    /// </summary>
    public static ParameterSpace Default(bool convolutional = false, int maxEpochs = 40, int? inputSize = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxEpochs, 2);
        var families = new List<(object, ParameterSpace?)>
        {
            ("dense", null),
            ("denoising", new ParameterSpace().Choice(nameof(AutoencoderTrialSettings.Corruption), CorruptionKind.Masking, CorruptionKind.Gaussian)
                .Float(nameof(AutoencoderTrialSettings.CorruptionLevel), 0.05, 0.5)),
            ("stacked", null),
        };
        if (convolutional) families.Add(("convolutional", null));
        const int minWidth = 64, maxWidth = 1024;
        int width = inputSize is int n ? Math.Clamp(AutoencoderFeaturizer.Defaults.AutomaticEncoderLayers(n)[0], minWidth, maxWidth) : 256;
        var d = new AutoencoderTrialSettings();
        return new ParameterSpace()
            .Choice(nameof(d.Family), families.ToArray())
            .Int(nameof(d.CodeSize), 4, 128, log: true)
            .Int(nameof(d.Depth), 0, 3)
            .Int(nameof(d.Width), minWidth, maxWidth, log: true)
            .Choice(nameof(d.Activation), ActivationFunction.ReLU, ActivationFunction.GELU, ActivationFunction.Tanh, ActivationFunction.Sigmoid)
            .Choice(nameof(d.Sparsity), ("none", null), ("l1", new ParameterSpace().Float(nameof(d.CodeL1Penalty), 1e-5, 1e-1, log: true)))
            .Float(nameof(d.LearningRate), 1e-4, 1e-2, log: true)
            .Choice(nameof(d.BatchSize), 32, 64, 128, 256)
            .Int(nameof(d.Epochs), 2, maxEpochs, log: true)
            .WithDefault(nameof(d.Family), d.Family)
            .WithDefault(nameof(d.CodeSize), d.CodeSize)
            .WithDefault(nameof(d.Depth), d.Depth)
            .WithDefault(nameof(d.Width), width)
            .WithDefault(nameof(d.Activation), d.Activation)
            .WithDefault(nameof(d.Sparsity), d.Sparsity)
            .WithDefault(nameof(d.LearningRate), d.LearningRate)
            .WithDefault(nameof(d.BatchSize), d.BatchSize)
            .WithDefault(nameof(d.Epochs), maxEpochs);
    }

    /// <summary>
    /// The estimator a trial of <see cref="Default"/> describes, training on <paramref name="inputColumnName"/> and writing
    /// the code to <paramref name="outputColumnName"/> (plus the reconstruction error to <paramref name="errorColumnName"/>
    /// when given, for <see cref="AutoencoderExperiment.SetReconstructionObjective"/>). The trial's seed, cancellation and
    /// budget (a share of <c>Epochs</c>) are applied, and the experiment's stopping of poor trials for every family but the stack.
    /// </summary>
    public static IEstimator<AutoencoderTransformer> CreateEstimator(MLContext mlContext, TrialContext trial, string outputColumnName, string inputColumnName,
        string? errorColumnName = null, ImageShape? image = null)
    {
        ArgumentNullException.ThrowIfNull(trial);
        var p = trial.Parameters.As<AutoencoderTrialSettings>();
        string family = p.Family;
        int codeSize = p.CodeSize;
        int[] layers = Enumerable.Range(0, p.Depth).Select(i => Math.Max(codeSize, p.Width >> i)).ToArray();
        int epochs = trial.Epochs(p.Epochs);
        T Configure<T>(T o) where T : AutoencoderOptions
        {
            o.CodeSize = codeSize;
            o.Activation = p.Activation;
            o.CodeL1Penalty = p.Sparsity == "l1" ? p.CodeL1Penalty : 0;
            o.LearningRate = p.LearningRate;
            o.BatchSize = p.BatchSize;
            o.Epochs = epochs;
            o.Seed = trial.Seed;
            o.CancellationToken = trial.CancellationToken;
            if (family != "stacked") o.StopWhen = trial.StopWhen; // a stack's layers restart their epoch count
            o.CacheInMemory = true;
            o.ReconstructionErrorColumnName = errorColumnName;
            return o;
        }
        return family switch
        {
            "dense" => mlContext.Transforms.AutoencoderFeaturizer(outputColumnName, inputColumnName, Configure(new AutoencoderOptions { EncoderLayers = layers })),
            "denoising" => mlContext.Transforms.DenoisingAutoencoder(outputColumnName, inputColumnName, Configure(new DenoisingAutoencoderOptions
            {
                EncoderLayers = layers, Corruption = p.Corruption, CorruptionLevel = p.CorruptionLevel,
            })),
            "stacked" => mlContext.Transforms.StackedPretrainer(outputColumnName, inputColumnName, StackedOptions(Configure(new StackedPretrainerOptions
            {
                EncoderLayers = layers, FineTuning = StackedFineTuning.Unsupervised,
            }))),
            "convolutional" => mlContext.Transforms.ConvolutionalAutoencoderFeaturizer(outputColumnName, inputColumnName, Configure(new ConvolutionalAutoencoderOptions
            {
                EncoderLayers = layers.Skip(1).ToArray(), ImageChannels = image?.Channels, ImageHeight = image?.Height, ImageWidth = image?.Width,
            })),
            _ => throw new ArgumentOutOfRangeException(nameof(trial), family, $"Parameter 'Family' is '{family}'; this factory knows dense, denoising, stacked and convolutional."),
        };
    }

    /// <summary>A stack splits the trial's epochs: a third pretraining each layer, the rest fine-tuning the unrolled autoencoder.</summary>
    private static StackedPretrainerOptions StackedOptions(StackedPretrainerOptions o)
    {
        o.CodeActivation = o.Activation;
        int epochs = o.PretrainingEpochs ?? throw new InvalidOperationException("The trial's epochs are set before the stack splits them.");
        o.FineTuningEpochs = Math.Max(1, epochs - epochs / 3);
        o.FineTuningLearningRate = o.LearningRate;
        o.PretrainingEpochs = Math.Max(1, epochs / 3);
        return o;
    }
}
