using Microsoft.ML.Autoencoders.Training.Data;

namespace Microsoft.ML.Autoencoders;

/// <summary>
/// What every search index over codes offers, whatever it compares by (<see cref="CodeIndex"/> exactly,
/// <see cref="BinaryCodeIndex"/> by Hamming distance, <see cref="ApproximateCodeIndex"/> through a graph): the same
/// queries — a vector, a batch, or a column of an IDataView — and the same Save; each type has a static <c>Load(path)</c>
/// (<see cref="ICodeIndex{TSelf}"/>). Code that does not care which index it holds takes an <see cref="ICodeIndex"/>.
/// </summary>
public interface ICodeIndex
{
    /// <summary>Number of indexed rows.</summary>
    int Count { get; }

    /// <summary>Length of each code (and of a query).</summary>
    int Dimension { get; }

    /// <summary>The <paramref name="k"/> rows nearest <paramref name="query"/>, closest first (fewer when the index holds fewer).</summary>
    SearchHit[] Search(ReadOnlySpan<float> query, int k);

    /// <summary>Each query's <paramref name="k"/> nearest rows; result <c>i</c> answers query <c>i</c>.</summary>
    SearchHit[][] Search(IReadOnlyList<float[]> queries, int k);

    /// <summary>Searches with every row of the known-size vector column <paramref name="column"/> of <paramref name="queries"/>.</summary>
    SearchHit[][] Search(IDataView queries, string column, int k);

    /// <summary>Writes the index to <paramref name="path"/> (through a temporary file: an existing file is only ever replaced by a complete one).</summary>
    void Save(string path);
}

/// <summary>Shared by the indexes' IDataView queries.</summary>
internal static class CodeQueries
{
    /// <summary>The rows of the known-size vector column <paramref name="column"/> (checked by name).</summary>
    public static IReadOnlyList<float[]> Of(IDataView queries, string column)
    {
        ArgumentNullException.ThrowIfNull(queries);
        return VectorColumn.ReadRows(queries, column);
    }
}

/// <summary>An <see cref="ICodeIndex"/> that its own type loads back: <c>TIndex.Load(path)</c>.</summary>
/// <typeparam name="TSelf">The index type.</typeparam>
public interface ICodeIndex<TSelf> : ICodeIndex where TSelf : ICodeIndex<TSelf>
{
    /// <summary>Reads an index <see cref="ICodeIndex.Save"/> wrote; a truncated, corrupt or foreign file throws <see cref="InvalidDataException"/> naming it.</summary>
    static abstract TSelf Load(string path);
}
