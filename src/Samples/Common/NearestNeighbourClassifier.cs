using Microsoft.ML.Autoencoders;

namespace AutoencoderSamples.Common;

/// <summary>k-nearest-neighbour accuracy: how well a code space separates classes (Euclidean, majority vote, exact search through <see cref="CodeIndex"/>).</summary>
internal static class NearestNeighbourClassifier
{
    public static double Accuracy(IReadOnlyList<float[]> reference, IReadOnlyList<int> referenceLabels,
        IReadOnlyList<float[]> queries, IReadOnlyList<int> queryLabels, int k)
    {
        int classes = referenceLabels.Max() + 1;
        var hits = CodeIndex.Create(reference, CodeDistance.Euclidean).Search(queries, k);
        int correct = 0;
        for (int q = 0; q < queries.Count; q++)
        {
            var votes = new int[classes];
            foreach (var hit in hits[q]) votes[referenceLabels[hit.Row]]++;
            if (Array.IndexOf(votes, votes.Max()) == queryLabels[q]) correct++;
        }
        return (double)correct / queries.Count;
    }
}
