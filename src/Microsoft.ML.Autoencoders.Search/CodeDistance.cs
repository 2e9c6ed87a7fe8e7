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

/// <summary>Checks <see cref="CodeDistance"/> arguments (an enum holds any integer).</summary>
internal static class CodeDistanceCheck
{
    /// <summary><paramref name="distance"/> itself when it is a defined value; otherwise an exception naming <paramref name="parameter"/>.</summary>
    public static CodeDistance Defined(CodeDistance distance, string parameter) => Enum.IsDefined(distance) ? distance
        : throw new ArgumentOutOfRangeException(parameter, distance, $"{parameter} is {(int)distance}, which is not a CodeDistance ({string.Join(", ", Enum.GetNames<CodeDistance>())}).");
}
