namespace Microsoft.ML.Autoencoders;

/// <summary>How <see cref="DocumentSearchIndex.Search(string, int)"/> ranks documents for a free-text query.</summary>
public enum DocumentRanking
{
    /// <summary>By the similarity of the autoencoder codes alone (the query's code against each document's).</summary>
    Codes,

    /// <summary>By BM25 over the vocabulary alone (<see cref="Bm25Index"/>): documents sharing no word with the query are not returned.</summary>
    Lexical,

    /// <summary>
    /// λ · BM25 / (the query's best BM25) + (1 − λ) · code similarity, λ = <see cref="DocumentSearchOptions.LexicalWeight"/>:
    /// the words a user typed decide which documents qualify, the codes order documents that say the same thing in other words.
    /// </summary>
    Hybrid,
}
