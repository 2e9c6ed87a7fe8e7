using Microsoft.ML.Autoencoders;
using Microsoft.ML;
using System.Numerics.Tensors;

namespace AutoencoderSamples.Common;

internal static class Metrics
{
    /// <summary>Squared error summed over the values of a row, averaged over rows (the 2006 paper's measure).</summary>
    public static double MeanSummedSquaredError(IReadOnlyList<float[]> originals, IReadOnlyList<float[]> reconstructions)
    {
        double total = 0;
        for (int i = 0; i < originals.Count; i++)
        {
            var d = TensorPrimitives.Distance(originals[i], reconstructions[i]);
            total += (double)d * d;
        }
        return total / originals.Count;
    }
}
