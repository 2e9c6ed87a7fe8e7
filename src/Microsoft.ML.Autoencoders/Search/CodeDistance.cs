namespace Microsoft.ML.Autoencoders;

/// <summary>How <see cref="CodeIndex"/> compares codes.</summary>
public enum CodeDistance
{
    /// <summary>1 − cosine similarity: direction only (what retrieval with codes usually wants).</summary>
    Cosine,
    /// <summary>Euclidean (L2) distance.</summary>
    Euclidean,
}

/// <summary>One search result: the row of the indexed data and its distance to the query (smaller is closer).</summary>
/// <param name="Row">Position of the row in the data the index was built from.</param>
/// <param name="Distance">Cosine distance (1 − cos) or Euclidean distance, as the index was built.</param>
public readonly record struct SearchHit(int Row, float Distance);
