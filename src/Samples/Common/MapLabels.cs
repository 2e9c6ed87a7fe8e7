using Microsoft.ML.Autoencoders.Datasets;

namespace AutoencoderSamples.Common;

/// <summary>Which label colours a document on a 2-D map: the first of the collection's most frequent labels it has.</summary>
internal static class MapLabels
{
    /// <summary>Shown for every document of a collection without labels.</summary>
    public const string Unlabelled = "documents";

    /// <summary>The <paramref name="count"/> most frequent labels of <paramref name="documents"/> (none when they have no labels).</summary>
    public static string[] Top(IEnumerable<Document> documents, int count) =>
        documents.SelectMany(d => d.Labels).GroupBy(t => t).OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal).Take(count).Select(g => g.Key).ToArray();

    /// <summary>The map label of <paramref name="document"/>: its first label among <paramref name="top"/>, null when it has none of them, <see cref="Unlabelled"/> when there are no labels at all.</summary>
    public static string? Of(Document document, IReadOnlyCollection<string> top) =>
        top.Count == 0 ? Unlabelled : document.Labels.FirstOrDefault(top.Contains);
}
