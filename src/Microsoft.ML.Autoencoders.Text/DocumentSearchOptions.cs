namespace Microsoft.ML.Autoencoders;

/// <summary>Settings of <see cref="DocumentSearchIndex.Build"/>: the words, the autoencoder and the distance.</summary>
public sealed class DocumentSearchOptions
{
    /// <summary>Optimiser steps of each layer-wise pretraining in the default autoencoder: Reuters' 30 epochs of 241 mini-batches of 64 stories.</summary>
    public const int DefaultPretrainingSteps = 7_230;

    /// <summary>Optimiser steps of the default autoencoder's fine-tuning: Reuters' 60 epochs of 241 mini-batches.</summary>
    public const int DefaultFineTuningSteps = 14_460;

    /// <summary>Vocabulary size, stop words, shortest word.</summary>
    public BagOfWordsOptions Words { get; set; } = new();

    /// <summary>
    /// The autoencoder of any family (its options pick it: <see cref="AutoencoderOptions"/>, <see cref="StackedPretrainerOptions"/>, …),
    /// trained on the words' log(1 + count) inputs (<see cref="BagOfWordsOptions.InputScaling"/>: unit length by default). Null uses
    /// <see cref="DefaultAutoencoder"/> for the number of documents.
    /// </summary>
    public AutoencoderOptions? Autoencoder { get; set; }

    /// <summary>How codes are compared.</summary>
    public CodeDistance Distance
    {
        get => _distance;
        set => _distance = CodeDistanceCheck.Defined(value, nameof(Distance));
    }

    private CodeDistance _distance = CodeDistance.Cosine;

    /// <summary>
    /// Default <see cref="LexicalWeight"/>: chosen on Reuters validation title queries (a fifth of the ModApte training stories
    /// against the rest; the test set unread): precision@10 0.3 → 0.815, 0.5 → 0.814 (best precision@1, 0.861), 0.7 → 0.804,
    /// 0.9 → 0.787, against BM25 alone 0.776 and codes alone 0.759.
    /// </summary>
    public const double DefaultLexicalWeight = 0.5;

    /// <summary>How free-text queries are ranked (default <see cref="DocumentRanking.Hybrid"/>: BM25 and code similarity mixed).</summary>
    public DocumentRanking Ranking { get; set; } = DocumentRanking.Hybrid;

    /// <summary>λ of <see cref="DocumentRanking.Hybrid"/>, in [0, 1]: the weight of the query's normalised BM25 against code similarity.</summary>
    public double LexicalWeight { get; set; } = DefaultLexicalWeight;

    /// <summary>Throws naming the setting that is out of range.</summary>
    internal void Validate()
    {
        ArgumentNullException.ThrowIfNull(Words, nameof(Words));
        if (!Enum.IsDefined(Ranking)) throw new ArgumentOutOfRangeException(nameof(Ranking), Ranking, $"Option '{nameof(Ranking)}' is {(int)Ranking}, which is not a DocumentRanking.");
        if (!(LexicalWeight >= 0 && LexicalWeight <= 1))
            throw new ArgumentOutOfRangeException(nameof(LexicalWeight), LexicalWeight, $"Option '{nameof(LexicalWeight)}' is {LexicalWeight}; it must lie in [0, 1].");
    }

    /// <summary>Seed of the default autoencoder (null: the MLContext's).</summary>
    public int? Seed { get; set; }

    /// <summary>
    /// The recipe measured on Reuters-21578 (README, text-retrieval: precision@10 0.830 for 10-d codes): a
    /// vocabulary-500-250-125-10 stack with linear code units, layer-wise pretraining with 40 % masking noise, then
    /// denoising fine-tuning of the unrolled autoencoder at 3e-4, mini-batches of 64. Its length is counted in optimiser
    /// steps (<see cref="DefaultPretrainingSteps"/>, <see cref="DefaultFineTuningSteps"/>) rather than epochs, so a
    /// collection of a few hundred documents gets as many updates as Reuters' 15,390 stories (up to 1,000 epochs) and
    /// one of a few hundred thousand is not trained for hours (one epoch at least).
    /// </summary>
    public static StackedPretrainerOptions DefaultAutoencoder(long documents, int? seed = null)
    {
        const int batch = 64;
        int Epochs(int steps) => AutoencoderTrainingOptions.EpochsForSteps(steps, documents, batch);
        return new StackedPretrainerOptions
        {
            EncoderLayers = [500, 250, 125], CodeSize = 10, CodeActivation = ActivationFunction.Linear, FineTuning = StackedFineTuning.Unsupervised,
            PretrainingEpochs = Epochs(DefaultPretrainingSteps), FineTuningEpochs = Epochs(DefaultFineTuningSteps), BatchSize = batch, FineTuningLearningRate = 3e-4,
            Corruption = CorruptionKind.Masking, CorruptionLevel = 0.4, FineTuningCorruptionLevel = 0.4, CacheInMemory = true, Seed = seed,
        };
    }
}
