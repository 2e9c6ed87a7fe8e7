namespace Microsoft.ML.Autoencoders;

/// <summary>How <see cref="BagOfWords"/> turns text into word counts.</summary>
public sealed class BagOfWordsOptions
{
    /// <summary>Words kept: the most frequent ones of the training texts (ties by spelling). The feature vectors have one more slot, for words outside the vocabulary.</summary>
    public int VocabularySize { get; set; } = 2000;

    /// <summary>Leave out ML.NET's default English stop words (the, of, and, …).</summary>
    public bool RemoveStopWords { get; set; } = true;

    /// <summary>Shortest word kept in the vocabulary (1-letter tokens are mostly noise).</summary>
    public int MinimumWordLength { get; set; } = 2;

    internal void Validate()
    {
        if (VocabularySize < 1) throw new ArgumentOutOfRangeException(nameof(VocabularySize), VocabularySize, $"Option '{nameof(VocabularySize)}' must be at least 1; got {VocabularySize}.");
        if (MinimumWordLength < 1) throw new ArgumentOutOfRangeException(nameof(MinimumWordLength), MinimumWordLength, $"Option '{nameof(MinimumWordLength)}' must be at least 1; got {MinimumWordLength}.");
    }
}
