using Microsoft.ML.Autoencoders;
using Microsoft.ML;
using Microsoft.ML.Data;
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

    /// <summary>Squared error averaged over pixels and rows.</summary>
    public static double MeanSquaredError(IReadOnlyList<float[]> originals, IReadOnlyList<float[]> reconstructions) =>
        MeanSummedSquaredError(originals, reconstructions) / originals[0].Length;

    /// <summary>Peak signal-to-noise ratio in dB for values in [0, 1]: 10·log10(1 / MSE).</summary>
    public static double Psnr(double meanSquaredError) => 10 * Math.Log10(1 / meanSquaredError);

    /// <summary>Sample standard deviation (n − 1; 0 for a single value).</summary>
    public static double StandardDeviation(IReadOnlyList<double> values)
    {
        double mean = values.Average();
        return Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / Math.Max(1, values.Count - 1));
    }

    /// <summary>Saves the model, loads it with LoadVerified in a fresh MLContext and compares every predicted label on <paramref name="test"/>.</summary>
    public static bool ReloadsIdentically(MLContext ml, ITransformer model, IDataView test, DataViewSchema schema, string path)
    {
        ml.Model.Save(model, schema, path);
        var loaded = new MLContext().Model.LoadVerified(path, out _);
        var before = model.Transform(test).GetColumn<uint>("PredictedLabel").ToArray();
        var after = loaded.Transform(test).GetColumn<uint>("PredictedLabel").ToArray();
        (loaded as IDisposable)?.Dispose();
        return before.SequenceEqual(after);
    }
}
