namespace Microsoft.ML.Autoencoders;

/// <summary>
/// Options of a <see cref="StackedPretrainer"/>: the stack's layer sizes, how each layer is pretrained (as a
/// denoising and/or sparse one-hidden-layer autoencoder), and how the whole stack is fine-tuned.
/// The inherited training settings (<see cref="AutoencoderTrainingOptions.Epochs"/>,
/// <see cref="AutoencoderTrainingOptions.LearningRate"/>, batch size, …) apply to the pretraining of each layer;
/// fine-tuning has its own epochs and learning rate below.
/// </summary>
public sealed class StackedPretrainerOptions : AutoencoderTrainingOptions
{
    /// <summary>Creates options with the defaults of <see cref="StackedPretrainer.Defaults"/>.</summary>
    public StackedPretrainerOptions()
    {
        Epochs = StackedPretrainer.Defaults.PretrainingEpochs;
        BatchSize = StackedPretrainer.Defaults.BatchSize;
    }

    // ---- Network -------------------------------------------------------------------------------

    /// <summary>Hidden layer sizes, input side first; the last one is the feature vector the transformer outputs.</summary>
    public int[] HiddenLayers { get; set; } = [.. StackedPretrainer.Defaults.HiddenLayers];

    /// <summary>
    /// Loss of the autoencoders that reconstruct the input itself: the first pretraining layer and unsupervised
    /// fine-tuning. <see cref="ReconstructionLoss.Auto"/> follows the data's range; word counts suit
    /// <see cref="ReconstructionLoss.MultinomialCrossEntropy"/>. Higher layers always reconstruct their activations by range.
    /// </summary>
    public ReconstructionLoss InputLoss { get; set; } = ReconstructionLoss.Auto;

    /// <summary>Nonlinearity of every hidden layer. KL sparsity (<see cref="SparsityTarget"/>) needs <see cref="ActivationFunction.Sigmoid"/>, the classic recipe's unit.</summary>
    public ActivationFunction Activation { get; set; } = StackedPretrainer.Defaults.Activation;

    /// <summary>
    /// Nonlinearity of the top hidden layer (the features, or the code in unsupervised mode); null means <see cref="Activation"/>.
    /// <see cref="ActivationFunction.Linear"/> suits retrieval codes compared by cosine: every code unit stays alive and signed,
    /// as in the deep document autoencoder of Hinton &amp; Salakhutdinov (2006).
    /// </summary>
    public ActivationFunction? TopLayerActivation { get; set; }

    /// <summary>The top hidden layer's nonlinearity after defaults.</summary>
    internal ActivationFunction TopActivation => TopLayerActivation ?? Activation;

    // ---- Pretraining ---------------------------------------------------------------------------

    /// <summary>False skips pretraining: the same network, randomly initialised, is trained on the labelled rows only (the baseline that measures what pretraining buys).</summary>
    public bool Pretrain { get; set; } = true;

    /// <summary>
    /// Layers pretrained earlier (<see cref="StackedPretrainerTransformer.PretrainedStack"/>) to start from instead of
    /// pretraining again: pretrain once on the unlabelled data, fine-tune many times. Must match <see cref="HiddenLayers"/>, <see cref="Activation"/> and the input size.
    /// </summary>
    public PretrainedStack? PretrainedStack { get; set; }

    /// <summary>Corruption of each pretraining layer's input (denoising autoencoders, Vincent et al. 2010).</summary>
    public CorruptionKind Corruption { get; set; } = CorruptionKind.Masking;

    /// <summary>Amount of corruption (fraction of values, or σ for Gaussian). 0 turns denoising off.</summary>
    public double CorruptionLevel { get; set; } = StackedPretrainer.Defaults.CorruptionLevel;

    /// <summary>L1 penalty on each pretraining layer's hidden activations (λ · Σⱼ |hⱼ| per row).</summary>
    public double CodeL1Penalty { get; set; }

    /// <summary>KL sparsity target ρ for each pretraining layer's mean activations (needs a sigmoid activation); null turns it off.</summary>
    public double? SparsityTarget { get; set; }

    /// <summary>Weight β of the KL sparsity term.</summary>
    public double SparsityWeight { get; set; } = 1.0;

    // ---- Fine-tuning ---------------------------------------------------------------------------

    /// <summary>Supervised (softmax output layer, backpropagation on labelled rows), unsupervised (unrolled deep autoencoder) or none.</summary>
    public StackedFineTuning FineTuning { get; set; } = StackedFineTuning.Supervised;

    /// <summary>
    /// Label column for supervised fine-tuning: a key column (missing key = unlabelled row) or Single/Double class
    /// numbers 0, 1, … (NaN = unlabelled row). Unlabelled rows are used for pretraining only.
    /// </summary>
    public string LabelColumnName { get; set; } = "Label";

    /// <summary>Passes over the fine-tuning rows (labelled rows when supervised, all rows when unsupervised).</summary>
    public int FineTuningEpochs { get; set; } = StackedPretrainer.Defaults.FineTuningEpochs;

    /// <summary>Learning rate of fine-tuning (usually lower than pretraining's, to keep what pretraining found).</summary>
    public double FineTuningLearningRate { get; set; } = StackedPretrainer.Defaults.FineTuningLearningRate;

    /// <summary>Rows per fine-tuning mini-batch; null uses <see cref="AutoencoderTrainingOptions.BatchSize"/>.</summary>
    public int? FineTuningBatchSize { get; set; }

    /// <summary>Dropout probability on the hidden layers during supervised fine-tuning (helps with few labels). 0 turns it off.</summary>
    public double FineTuningDropout { get; set; }

    /// <summary>
    /// Corruption of the input during unsupervised fine-tuning (of kind <see cref="Corruption"/>): the unrolled deep
    /// autoencoder then learns to reconstruct clean rows from corrupted ones, a regulariser when rows are few. 0 turns it off.
    /// </summary>
    public double FineTuningCorruptionLevel { get; set; }

    // ---- Outputs -------------------------------------------------------------------------------

    /// <summary>Column of class probabilities (supervised mode).</summary>
    public string ScoreColumnName { get; set; } = "Score";

    /// <summary>Column of the predicted class, a key of the label's type (supervised mode).</summary>
    public string PredictedLabelColumnName { get; set; } = "PredictedLabel";

    internal override void Validate()
    {
        base.Validate();
        if (HiddenLayers is null || HiddenLayers.Length == 0) throw Bad(nameof(HiddenLayers), "[]", "must list at least one layer size");
        for (int i = 0; i < HiddenLayers.Length; i++)
            if (HiddenLayers[i] < 1) throw Bad(nameof(HiddenLayers), $"[{string.Join(", ", HiddenLayers)}]", $"must hold positive layer sizes (entry {i} is {HiddenLayers[i]})");
        if (!Enum.IsDefined(Activation)) throw Bad(nameof(Activation), Activation, "is not a known activation function");
        if (TopLayerActivation is { } top && !Enum.IsDefined(top)) throw Bad(nameof(TopLayerActivation), top, "is not a known activation function");
        if (!Enum.IsDefined(InputLoss)) throw Bad(nameof(InputLoss), InputLoss, "is not a known reconstruction loss");
        if (!Enum.IsDefined(FineTuning)) throw Bad(nameof(FineTuning), FineTuning, "is not a known fine-tuning mode");
        if (!Enum.IsDefined(Corruption)) throw Bad(nameof(Corruption), Corruption, "is not a known corruption kind");
        CheckCorruptionLevel(nameof(CorruptionLevel), CorruptionLevel, Corruption);
        CheckCorruptionLevel(nameof(FineTuningCorruptionLevel), FineTuningCorruptionLevel, Corruption);
        if (FineTuningCorruptionLevel > 0 && FineTuning != StackedFineTuning.Unsupervised)
            throw Bad(nameof(FineTuningCorruptionLevel), FineTuningCorruptionLevel, "applies to FineTuning = Unsupervised only (supervised fine-tuning regularises with FineTuningDropout)");
        if (!(CodeL1Penalty >= 0) || !double.IsFinite(CodeL1Penalty)) throw Bad(nameof(CodeL1Penalty), CodeL1Penalty, "must be zero or positive");
        if (!(SparsityWeight >= 0) || !double.IsFinite(SparsityWeight)) throw Bad(nameof(SparsityWeight), SparsityWeight, "must be zero or positive");
        if (SparsityTarget is double rho && (!(rho > 0 && rho < 1) || Activation != ActivationFunction.Sigmoid || TopActivation != ActivationFunction.Sigmoid))
            throw Bad(nameof(SparsityTarget), rho, "must be in (0, 1) and needs Activation = Sigmoid (and TopLayerActivation unset or Sigmoid)");
        if (FineTuningEpochs < 1) throw Bad(nameof(FineTuningEpochs), FineTuningEpochs, "must be at least 1");
        if (!(FineTuningLearningRate > 0) || !double.IsFinite(FineTuningLearningRate)) throw Bad(nameof(FineTuningLearningRate), FineTuningLearningRate, "must be a positive number");
        if (FineTuningBatchSize is < 1) throw Bad(nameof(FineTuningBatchSize), FineTuningBatchSize, "must be at least 1");
        if (!(FineTuningDropout >= 0 && FineTuningDropout < 1)) throw Bad(nameof(FineTuningDropout), FineTuningDropout, "must be in [0, 1)");
        if (!Pretrain && PretrainedStack is not null) throw Bad(nameof(PretrainedStack), "a stack", "cannot be combined with Pretrain = false");
        if (!Pretrain && FineTuning != StackedFineTuning.Supervised) throw Bad(nameof(Pretrain), false, "(the random-initialisation baseline) needs FineTuning = Supervised");
        if (FineTuning == StackedFineTuning.Supervised)
        {
            ArgumentException.ThrowIfNullOrEmpty(LabelColumnName, nameof(LabelColumnName));
            ArgumentException.ThrowIfNullOrEmpty(ScoreColumnName, nameof(ScoreColumnName));
            ArgumentException.ThrowIfNullOrEmpty(PredictedLabelColumnName, nameof(PredictedLabelColumnName));
        }
    }
}
