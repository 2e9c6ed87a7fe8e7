namespace Microsoft.ML.Autoencoders;

/// <summary>How <see cref="BagOfWords"/> turns text into word counts.</summary>
public sealed class BagOfWordsOptions
{
    /// <summary>Longest <see cref="NgramLength"/> accepted.</summary>
    public const int MaximumNgramLength = 3;

    /// <summary>
    /// Terms kept: the most frequent words of the training texts (ties by spelling), or with <see cref="NgramLength"/> above 1
    /// the words and word sequences found in the most training texts. The feature vectors have one more slot, for words outside
    /// the vocabulary (and, with n-grams, ties at the cut can keep a few more).
    /// </summary>
    public int VocabularySize { get; set; } = 2000;

    /// <summary>Leave out ML.NET's default English stop words (the, of, and, …).</summary>
    public bool RemoveStopWords { get; set; } = true;

    /// <summary>Shortest word kept in the vocabulary (1-letter tokens are mostly noise).</summary>
    public int MinimumWordLength { get; set; } = 2;

    /// <summary>
    /// Longest word sequence counted as a term: 1 (default) = single words; 2 adds adjacent word pairs ("interest rates"),
    /// 3 triples. Sequences are formed after stop words are removed, and compete with single words for the
    /// <see cref="VocabularySize"/> places by the number of training texts they occur in.
    /// </summary>
    public int NgramLength { get; set; } = 1;

    /// <summary>How a text's log(1 + count) values are scaled for the autoencoder (see <see cref="WordInputScaling"/>).</summary>
    public WordInputScaling InputScaling { get; set; } = WordInputScaling.UnitLength;

    internal void Validate()
    {
        if (!Enum.IsDefined(InputScaling)) throw new ArgumentOutOfRangeException(nameof(InputScaling), InputScaling, $"Option '{nameof(InputScaling)}' is {(int)InputScaling}, which is not a WordInputScaling.");
        if (NgramLength is < 1 or > MaximumNgramLength) throw new ArgumentOutOfRangeException(nameof(NgramLength), NgramLength, $"Option '{nameof(NgramLength)}' must be between 1 and {MaximumNgramLength}; got {NgramLength}.");
        if (VocabularySize < 1) throw new ArgumentOutOfRangeException(nameof(VocabularySize), VocabularySize, $"Option '{nameof(VocabularySize)}' must be at least 1; got {VocabularySize}.");
        if (MinimumWordLength < 1) throw new ArgumentOutOfRangeException(nameof(MinimumWordLength), MinimumWordLength, $"Option '{nameof(MinimumWordLength)}' must be at least 1; got {MinimumWordLength}.");
    }
}

/// <summary>How <see cref="BagOfWords.AutoencoderInput"/> scales the log(1 + count) of each word.</summary>
public enum WordInputScaling
{
    /// <summary>Divided by the largest log(1 + count) of the training texts: a short text's vector is short (near the empty text's).</summary>
    MaxLogCount,

    /// <summary>Divided by the vector's own Euclidean length: every text, a 3-word query or a long story, has length 1.</summary>
    UnitLength,
}
