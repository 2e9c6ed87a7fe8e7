using Microsoft.ML.Autoencoders;
using Microsoft.ML;
using System.Numerics.Tensors;

namespace AutoencoderSamples.Common;

/// <summary>k-nearest-neighbour accuracy: how well a code space separates classes (Euclidean, majority vote, exact search).</summary>
internal static class NearestNeighbourClassifier
{
    public static double Accuracy(IReadOnlyList<float[]> reference, IReadOnlyList<int> referenceLabels,
        IReadOnlyList<float[]> queries, IReadOnlyList<int> queryLabels, int k)
    {
        int classes = referenceLabels.Max() + 1;
        int correct = 0;
        Parallel.For(0, queries.Count, () => 0, (q, loop, local) =>
        {
            var best = new PriorityQueue<int, float>(k + 1, Comparer<float>.Create((a, b) => b.CompareTo(a)));
            var query = queries[q];
            for (int i = 0; i < reference.Count; i++)
            {
                float d = TensorPrimitives.Distance(query, reference[i]);
                if (best.Count < k) best.Enqueue(i, d);
                else if (best.TryPeek(out _, out var worst) && d < worst) best.EnqueueDequeue(i, d);
            }
            var votes = new int[classes];
            while (best.TryDequeue(out var i, out _)) votes[referenceLabels[i]]++;
            return local + (Array.IndexOf(votes, votes.Max()) == queryLabels[q] ? 1 : 0);
        }, local => Interlocked.Add(ref correct, local));
        return (double)correct / queries.Count;
    }
}
