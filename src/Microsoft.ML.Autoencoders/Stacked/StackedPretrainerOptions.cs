using System.ComponentModel;

namespace Microsoft.ML.Autoencoders;

/// <summary>
/// Options of a <see cref="StackedPretrainer"/>: everything <see cref="AutoencoderOptions"/> has — the stack is
/// <see cref="AutoencoderOptions.EncoderLayers"/> then <see cref="AutoencoderOptions.CodeSize"/> (the top layer, the
/// features the transformer writes); corruption, sparsity and <see cref="AutoencoderOptions.Penalties"/> are the objective
/// of each pretraining layer; the inherited training settings (<see cref="AutoencoderTrainingOptions.LearningRate"/>,
/// batch size, …) apply to the pretraining of each layer, for <see cref="PretrainingEpochs"/> — plus how the whole stack
/// is fine-tuned, which has its own epochs and learning rate below. The decoder mirrors the pretrained layers, so a stack
/// has no <c>DecoderLayers</c>; and its epochs are named for what they count (<c>Epochs</c> is hidden here).
/// </summary>
public sealed class StackedPretrainerOptions : AutoencoderOptions
{
    /// <summary>Creates options with the defaults of <see cref="StackedPretrainer.Defaults"/>.</summary>
    public StackedPretrainerOptions()
    {
        EncoderLayers = [.. StackedPretrainer.Defaults.EncoderLayers];
        CodeSize = StackedPretrainer.Defaults.CodeSize;
        Activation = StackedPretrainer.Defaults.Activation;
        CodeActivation = StackedPretrainer.Defaults.Activation;
        CorruptionLevel = StackedPretrainer.Defaults.CorruptionLevel;
        PretrainingEpochs = StackedPretrainer.Defaults.PretrainingEpochs;
        BatchSize = StackedPretrainer.Defaults.BatchSize;
    }

    /// <summary>Every layer of the stack, input side first: the encoder layers, then the code.</summary>
    internal int[] StackLayersFor(int inputSize) => [.. EncoderLayersFor(inputSize), CodeSize];

    // ---- Pretraining ---------------------------------------------------------------------------

    /// <summary>
    /// Passes over the rows when each layer is pretrained (per layer: a stack of k layers is pretrained k times this); null
    /// chooses automatically, per layer, as <see cref="AutoencoderTrainingOptions.Epochs"/> does for the other families.
    /// </summary>
    public int? PretrainingEpochs { get => base.Epochs; set => base.Epochs = value; }

    /// <summary>Not a setting of a stack: see <see cref="PretrainingEpochs"/> and <see cref="FineTuningEpochs"/>.</summary>
    [Obsolete("A stack counts epochs per pretrained layer (PretrainingEpochs) and for fine-tuning (FineTuningEpochs).", error: true)]
    [EditorBrowsable(EditorBrowsableState.Never)]
    public new int? Epochs { get => base.Epochs; set => base.Epochs = value; }

    /// <summary>Not a setting of a stack: its decoder mirrors the pretrained layers.</summary>
    [Obsolete("A stack's decoder mirrors its pretrained layers; it has no decoder layers of its own.", error: true)]
    [EditorBrowsable(EditorBrowsableState.Never)]
    public new int[]? DecoderLayers { get => base.DecoderLayers; set => base.DecoderLayers = value; }

    /// <summary>False skips pretraining: the same network, randomly initialised, is trained on the labelled rows only (the baseline that measures what pretraining buys).</summary>
    public bool Pretrain { get; set; } = true;

    /// <summary>
    /// Layers pretrained earlier (<see cref="StackedPretrainerTransformer.PretrainedStack"/>) to start from instead of
    /// pretraining again: pretrain once on the unlabelled data, fine-tune many times. Must match the layers, the activations and the input size.
    /// </summary>
    public PretrainedStack? PretrainedStack { get; set; }

    // ---- Fine-tuning ---------------------------------------------------------------------------

    /// <summary>Supervised (softmax output layer, backpropagation on labelled rows), unsupervised (unrolled deep autoencoder) or none.</summary>
    public StackedFineTuning FineTuning { get; set; } = StackedFineTuning.Supervised;

    /// <summary>
    /// Label column for supervised fine-tuning: a key column (missing key = unlabelled row) or Single/Double class
    /// numbers 0, 1, … (NaN = unlabelled row). Unlabelled rows are used for pretraining only.
    /// </summary>
    public string LabelColumnName { get; set; } = "Label";

    /// <summary>
    /// Passes over the fine-tuning rows (labelled rows when supervised, all rows when unsupervised). With
    /// <see cref="AutoencoderTrainingOptions.ValidationFraction"/>, that fraction of them is held out and
    /// <see cref="AutoencoderTrainingOptions.EarlyStoppingPatience"/> stops fine-tuning early (best weights kept).
    /// </summary>
    public int FineTuningEpochs { get; set; } = StackedPretrainer.Defaults.FineTuningEpochs;

    /// <summary>Learning rate of fine-tuning (usually lower than pretraining's, to keep what pretraining found).</summary>
    public double FineTuningLearningRate { get; set; } = StackedPretrainer.Defaults.FineTuningLearningRate;

    /// <summary>Rows per fine-tuning mini-batch; null uses <see cref="AutoencoderTrainingOptions.BatchSize"/>.</summary>
    public int? FineTuningBatchSize { get; set; }

    /// <summary>Dropout probability on the hidden layers during supervised fine-tuning (helps with few labels). 0 turns it off.</summary>
    public double FineTuningDropout { get; set; }

    /// <summary>
    /// Corruption of the input during unsupervised fine-tuning (of kind <see cref="AutoencoderOptions.Corruption"/>): the unrolled deep
    /// autoencoder then learns to reconstruct clean rows from corrupted ones, a regulariser when rows are few. 0 turns it off.
    /// </summary>
    public double FineTuningCorruptionLevel { get; set; }

    // ---- Ladder --------------------------------------------------------------------------------

    /// <summary>
    /// <see cref="StackedFineTuning.Ladder"/>: standard deviation of the Gaussian noise added to the input and to every
    /// batch-normalised pre-activation of the corrupted pass (Rasmus et al.: 0.3).
    /// </summary>
    public double LadderNoise { get; set; } = 0.3;

    /// <summary>
    /// <see cref="StackedFineTuning.Ladder"/>: weight λ of each layer's denoising cost, input first, then each hidden layer
    /// (the encoder layers and the code), then the class output — <c>EncoderLayers.Length + 3</c> values. Null: 1000 at the
    /// input, 10 at the first hidden layer, 0.1 above (Rasmus et al.'s MNIST setting). Zeros everywhere but the last give
    /// the Γ-model (only the top layer is denoised); all zeros, plain supervised training with noise.
    /// </summary>
    public double[]? LadderReconstructionWeights { get; set; }

    /// <summary>Supervised or Ladder: the stack ends in a softmax layer and writes Score and PredictedLabel.</summary>
    internal bool Classifies => FineTuning is StackedFineTuning.Supervised or StackedFineTuning.Ladder;

    // ---- Outputs -------------------------------------------------------------------------------

    /// <summary>Column of class probabilities (supervised mode).</summary>
    public string ScoreColumnName { get; set; } = "Score";

    /// <summary>Column of the predicted class, a key of the label's type with its key names (supervised mode).</summary>
    public string PredictedLabelColumnName { get; set; } = "PredictedLabel";

    internal override IAutoencoderEstimator CreateEstimator(Microsoft.ML.Runtime.IHostEnvironment env, string outputColumnName, string inputColumnName) =>
        new StackedPretrainer(env, outputColumnName, inputColumnName, this);

    internal override void Validate()
    {
        // Checked before the base's checks so that the message names the stack's own setting.
        if (PretrainingEpochs is < 1) throw Bad(nameof(PretrainingEpochs), PretrainingEpochs, "must be at least 1 (or null: automatic)");
        base.Validate();
        // Set through the base type (the stack hides it): the decoder still mirrors the pretrained layers.
        if (base.DecoderLayers is { } decoder) throw Bad("DecoderLayers", $"[{string.Join(", ", decoder)}]", "must be null for a stack: its decoder mirrors the pretrained layers");
        if (SparsityTarget is double rho && Activation != ActivationFunction.Sigmoid)
            throw Bad(nameof(SparsityTarget), rho, $"needs Activation = Sigmoid in a stack (every pretrained layer's mean activation must lie in (0, 1)); Activation is {Activation}, so");
        if (!Enum.IsDefined(FineTuning)) throw Bad(nameof(FineTuning), FineTuning, "is not a known fine-tuning mode");
        CheckCorruptionLevel(nameof(FineTuningCorruptionLevel), FineTuningCorruptionLevel, Corruption);
        if (FineTuningCorruptionLevel > 0 && FineTuning != StackedFineTuning.Unsupervised)
            throw Bad(nameof(FineTuningCorruptionLevel), FineTuningCorruptionLevel, "applies to FineTuning = Unsupervised only (supervised fine-tuning regularises with FineTuningDropout)");
        if (FineTuningEpochs < 1) throw Bad(nameof(FineTuningEpochs), FineTuningEpochs, "must be at least 1");
        if (!(FineTuningLearningRate > 0) || !double.IsFinite(FineTuningLearningRate)) throw Bad(nameof(FineTuningLearningRate), FineTuningLearningRate, "must be a positive number");
        if (FineTuningBatchSize is < 1) throw Bad(nameof(FineTuningBatchSize), FineTuningBatchSize, "must be at least 1");
        if (!(FineTuningDropout >= 0 && FineTuningDropout < 1)) throw Bad(nameof(FineTuningDropout), FineTuningDropout, "must be in [0, 1)");
        if (!Pretrain && PretrainedStack is not null) throw Bad(nameof(PretrainedStack), "a stack", "cannot be combined with Pretrain = false");
        if (!Pretrain && !Classifies) throw Bad(nameof(Pretrain), false, "(the random-initialisation baseline) needs FineTuning = Supervised or Ladder");
        if (!(LadderNoise >= 0) || !double.IsFinite(LadderNoise)) throw Bad(nameof(LadderNoise), LadderNoise, "must be a finite number, zero or more");
        if (LadderReconstructionWeights is { } weights && weights.Any(w => !(w >= 0) || !double.IsFinite(w)))
            throw Bad(nameof(LadderReconstructionWeights), $"[{string.Join(", ", weights)}]", "must hold finite weights, zero or more");
        if (FineTuning == StackedFineTuning.Ladder && FineTuningDropout > 0)
            throw Bad(nameof(FineTuningDropout), FineTuningDropout, "applies to FineTuning = Supervised (the ladder regularises with LadderNoise)");
        if (Classifies)
        {
            if (MonitorData is not null) throw Bad(nameof(MonitorData), "rows", "measures reconstruction, which supervised fine-tuning does not train: use FineTuning = Unsupervised, or ValidationFraction for the classifier");
            ArgumentException.ThrowIfNullOrEmpty(LabelColumnName, nameof(LabelColumnName));
            ArgumentException.ThrowIfNullOrEmpty(ScoreColumnName, nameof(ScoreColumnName));
            ArgumentException.ThrowIfNullOrEmpty(PredictedLabelColumnName, nameof(PredictedLabelColumnName));
            foreach (var (name, value) in new[] { (nameof(ReconstructionColumnName), ReconstructionColumnName), (nameof(ReconstructionErrorColumnName), ReconstructionErrorColumnName) })
                if (value is not null)
                    throw Bad(name, value, "needs FineTuning = Unsupervised or None (supervised fine-tuning changes the encoder but not the pretrained decoder, so reconstructions would be stale)");
        }
    }
}
