namespace Microsoft.ML.Autoencoders;

/// <summary>
/// Network shape, training settings and optional outputs of an autoencoder. Every property has a
/// sensible default (see <see cref="AutoencoderFeaturizer.Defaults"/>), so
/// <c>new AutoencoderOptions { CodeSize = 30 }</c> is a complete configuration.
/// </summary>
public class AutoencoderOptions : AutoencoderTrainingOptions
{
    // ---- Network -------------------------------------------------------------------------------

    /// <summary>
    /// Sizes of the encoder's hidden layers, input side first (e.g. [1000, 500, 250]). May be empty (a single-layer encoder,
    /// like PCA). Null (the default) sizes the network from the input: one hidden layer of
    /// <see cref="AutoencoderFeaturizer.Defaults.AutomaticEncoderLayers"/> units.
    /// </summary>
    public int[]? EncoderLayers { get; set; }

    /// <summary>Length of the code vector (the output column's size).</summary>
    public int CodeSize { get; set; } = AutoencoderFeaturizer.Defaults.CodeSize;

    /// <summary>Sizes of the decoder's hidden layers, code side first. Null mirrors the encoder; any other list makes an asymmetric autoencoder.</summary>
    public int[]? DecoderLayers { get; set; }

    /// <summary>Nonlinearity after every hidden layer.</summary>
    public ActivationFunction Activation { get; set; } = AutoencoderFeaturizer.Defaults.Activation;

    /// <summary>Nonlinearity of the code layer; linear by default (as in Hinton &amp; Salakhutdinov 2006).</summary>
    public ActivationFunction CodeActivation { get; set; } = ActivationFunction.Linear;

    /// <summary>Reconstruction loss; <see cref="ReconstructionLoss.Auto"/> picks sigmoid + binary cross-entropy for data in [0, 1], linear + squared error otherwise.</summary>
    public ReconstructionLoss Loss { get; set; } = ReconstructionLoss.Auto;

    // ---- Regularisation ------------------------------------------------------------------------

    /// <summary>L1 penalty λ on the code activations (λ · Σⱼ |hⱼ| per row). 0 turns it off.</summary>
    public double CodeL1Penalty { get; set; }

    /// <summary>
    /// KL sparsity: the target mean activation ρ of each code unit, in (0, 1) (MATLAB's SparsityProportion; 0.05 is usual).
    /// Needs <see cref="CodeActivation"/> = <see cref="ActivationFunction.Sigmoid"/>. Null turns it off.
    /// </summary>
    public double? SparsityTarget { get; set; }

    /// <summary>Weight β of the KL sparsity term β · Σⱼ KL(ρ ‖ ρ̂ⱼ) (MATLAB's SparsityRegularization).</summary>
    public double SparsityWeight { get; set; } = 1.0;

    /// <summary>
    /// Further terms of the training loss, e.g. <c>[new ContractivePenalty { Weight = 0.1 }]</c>. A stacked pretrainer
    /// applies them (like the sparsity options) to each layer it pretrains.
    /// </summary>
    public List<AutoencoderPenalty> Penalties { get; set; } = [];

    // ---- Augmentation ----------------------------------------------------------------------------

    /// <summary>
    /// Training-time image augmentation (random translations, optional flips) of every training mini-batch, input and
    /// target alike; null turns it off. Validation and scoring are never augmented. A stack augments its first layer's
    /// pretraining and both kinds of fine-tuning. The default, <see cref="ImageAugmentation.ForImageColumns"/>, shifts
    /// images by up to 1 pixel when the column carries an image shape (ExtractPixels' output) and leaves other columns alone.
    /// </summary>
    public ImageAugmentation? Augmentation { get; set; } = ImageAugmentation.ForImageColumns();

    // ---- Corruption (denoising) ----------------------------------------------------------------

    /// <summary>Corruption kind of the training inputs (the loss is always taken against the clean input).</summary>
    public CorruptionKind Corruption { get; set; } = CorruptionKind.Masking;

    /// <summary>
    /// Amount of corruption: the fraction of values hit for <see cref="CorruptionKind.Masking"/> and
    /// <see cref="CorruptionKind.SaltAndPepper"/> (in [0, 1)), the standard deviation σ for <see cref="CorruptionKind.Gaussian"/> (≥ 0).
    /// 0 (the default here; <see cref="DenoisingAutoencoderOptions"/> starts at <see cref="DenoisingAutoencoderTrainer.Defaults.CorruptionLevel"/>) turns denoising off.
    /// </summary>
    public double CorruptionLevel { get; set; }

    /// <summary>
    /// Robust training for data with a few outliers mixed in (anomaly detection on contaminated data): after
    /// <see cref="RobustWarmupEpochs"/>, the rows of each mini-batch with the highest squared reconstruction error (the
    /// anomaly detector's score) — this fraction of them — are left out of the gradient, so the network does not learn to
    /// reconstruct them. Set it above the expected share of outliers (MNIST, 5 % other digits: 0.3 did best on a
    /// validation split). 0 turns it off.
    /// </summary>
    public double RobustTrimFraction { get; set; }

    /// <summary>Epochs trained on every row before <see cref="RobustTrimFraction"/> starts leaving rows out.</summary>
    public int RobustWarmupEpochs { get; set; } = 2;

    // ---- Extra outputs -------------------------------------------------------------------------

    /// <summary>When set, the transformer also writes the reconstruction (a vector the size of the input) to this column.</summary>
    public string? ReconstructionColumnName { get; set; }

    /// <summary>
    /// When set, the transformer also writes the reconstruction error to this column: the squared error
    /// summed over the input's values, Σᵢ (xᵢ − x̂ᵢ)², one value per row. Large values flag anomalies.
    /// The column type is <c>Vector&lt;Single, 1&gt;</c> (read element 0): ML.NET's OnnxTransformer, which scores
    /// and persists the model, cannot yet produce rank-0 (scalar) outputs.
    /// </summary>
    public string? ReconstructionErrorColumnName { get; set; }

    /// <summary>Terms a family adds to every training loss of its own (the variational family's KL divergence), built afresh for each training run on <paramref name="data"/>.</summary>
    internal virtual IEnumerable<AutoencoderPenalty> FamilyTerms(Training.Data.TrainingData data) => [];

    /// <summary>The estimator of the family these options describe (the anomaly detector trains whichever family its options name).</summary>
    internal virtual IAutoencoderEstimator CreateEstimator(Microsoft.ML.Runtime.IHostEnvironment env, string outputColumnName, string inputColumnName) =>
        new AutoencoderFeaturizer(env, outputColumnName, inputColumnName, this);

    /// <summary>The encoder's hidden layers for <paramref name="inputSize"/> inputs: <see cref="EncoderLayers"/>, or the automatic ones.</summary>
    internal int[] EncoderLayersFor(int inputSize) => EncoderLayers ?? AutoencoderFeaturizer.Defaults.AutomaticEncoderLayers(inputSize, CodeSize);

    /// <summary>A shallow copy (layer arrays shared), for estimators that adjust options they were given.</summary>
    internal AutoencoderOptions Clone() => (AutoencoderOptions)MemberwiseClone();

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the first option that makes no sense.</summary>
    internal override void Validate()
    {
        base.Validate();
        if (CodeSize < 1) throw Bad(nameof(CodeSize), CodeSize, "must be at least 1");
        if (EncoderLayers is not null) CheckLayers(nameof(EncoderLayers), EncoderLayers);
        if (DecoderLayers is not null) CheckLayers(nameof(DecoderLayers), DecoderLayers);
        if (!(CodeL1Penalty >= 0) || !double.IsFinite(CodeL1Penalty)) throw Bad(nameof(CodeL1Penalty), CodeL1Penalty, "must be zero or positive");
        if (!(SparsityWeight >= 0) || !double.IsFinite(SparsityWeight)) throw Bad(nameof(SparsityWeight), SparsityWeight, "must be zero or positive");
        if (SparsityTarget is double rho)
        {
            if (!(rho > 0 && rho < 1)) throw Bad(nameof(SparsityTarget), rho, "must be in (0, 1)");
            if (CodeActivation != ActivationFunction.Sigmoid)
                throw Bad(nameof(SparsityTarget), rho, $"needs CodeActivation = Sigmoid (KL sparsity compares mean activations in (0, 1)); CodeActivation is {CodeActivation}, so");
        }
        if (!Enum.IsDefined(Loss)) throw Bad(nameof(Loss), Loss, "is not a known reconstruction loss");
        if (!(RobustTrimFraction >= 0 && RobustTrimFraction < 0.5)) throw Bad(nameof(RobustTrimFraction), RobustTrimFraction, "is the fraction of each batch left out and must be in [0, 0.5)");
        if (RobustWarmupEpochs < 0) throw Bad(nameof(RobustWarmupEpochs), RobustWarmupEpochs, "must be zero or positive");
        foreach (var (name, value) in new[] { (nameof(Activation), Activation), (nameof(CodeActivation), CodeActivation) })
            if (!Enum.IsDefined(value)) throw Bad(name, value, "is not a known activation function");
        if (!Enum.IsDefined(Corruption)) throw Bad(nameof(Corruption), Corruption, "is not a known corruption kind");
        CheckCorruptionLevel(nameof(CorruptionLevel), CorruptionLevel, Corruption);
        Augmentation?.Validate(nameof(Augmentation));
        if (Penalties is null) throw Bad(nameof(Penalties), "null", "must be a list (it may be empty)");
        for (int i = 0; i < Penalties.Count; i++)
            (Penalties[i] ?? throw Bad(nameof(Penalties), "null", $"entry {i} is null; each entry")).Validate($"{nameof(Penalties)}[{i}]");
    }

    /// <summary>Checks an amount of <paramref name="kind"/> noise: σ ≥ 0 for Gaussian, otherwise a fraction in [0, 1).</summary>
    private protected static void CheckCorruptionLevel(string option, double level, CorruptionKind kind)
    {
        if (kind == CorruptionKind.Gaussian)
        {
            if (!(level >= 0) || !double.IsFinite(level))
                throw Bad(option, level, "is the Gaussian noise's standard deviation and must be zero or positive");
        }
        else if (!(level >= 0 && level < 1))
            throw Bad(option, level, $"is the fraction of values {kind} noise hits and must be in [0, 1)");
    }

    private static void CheckLayers(string option, int[] layers)
    {
        for (int i = 0; i < layers.Length; i++)
            if (layers[i] < 1) throw Bad(option, $"[{string.Join(", ", layers)}]", $"must hold positive layer sizes (entry {i} is {layers[i]})");
    }
}
