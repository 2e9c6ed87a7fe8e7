using Microsoft.ML;
using Microsoft.ML.Autoencoders.Datasets;
using Microsoft.ML.Data;

namespace AutoencoderSamples.Common;

/// <summary>
/// MNIST as a semi-supervised problem: every training image, but only a balanced handful keep their label
/// (Label = the digit as a class number; NaN = unlabelled, which StackedPretrainer uses for pretraining only).
/// </summary>
internal static class SemiSupervisedDigits
{
    public sealed class Row
    {
        /// <summary>The digit 0–9, or NaN when the label is hidden.</summary>
        public float Label { get; set; }

        [VectorType(MnistImage.PixelCount)]
        public float[] Pixels { get; set; } = [];
    }

    /// <summary>All images, with the labels of <paramref name="labelled"/> of them kept (the same number per digit, drawn with <paramref name="seed"/>).</summary>
    public static IDataView WithLabels(MLContext ml, IReadOnlyList<MnistImage> images, int labelled, int seed)
    {
        var keep = BalancedSample(images, labelled, seed);
        return ml.Data.LoadFromEnumerable(images.Select((m, i) => new Row { Pixels = m.Pixels, Label = keep.Contains(i) ? m.Digit : float.NaN }).ToArray());
    }

    /// <summary>Only the labelled images of the same sample (for trainers that cannot use unlabelled rows).</summary>
    public static IDataView LabelledOnly(MLContext ml, IReadOnlyList<MnistImage> images, int labelled, int seed)
    {
        var keep = BalancedSample(images, labelled, seed);
        return ml.Data.LoadFromEnumerable(keep.Order().Select(i => new Row { Pixels = images[i].Pixels, Label = images[i].Digit }).ToArray());
    }

    /// <summary>Every image with its label.</summary>
    public static IDataView AllLabelled(MLContext ml, IReadOnlyList<MnistImage> images) =>
        ml.Data.LoadFromEnumerable(images.Select(m => new Row { Pixels = m.Pixels, Label = m.Digit }).ToArray());

    private static HashSet<int> BalancedSample(IReadOnlyList<MnistImage> images, int count, int seed)
    {
        var order = Enumerable.Range(0, images.Count).ToArray();
        new Random(seed).Shuffle(order);
        int perDigit = count / 10;
        var taken = new int[10];
        var keep = new HashSet<int>();
        foreach (var i in order)
            if (taken[images[i].Digit] < perDigit && keep.Add(i)) taken[images[i].Digit]++;
        return keep;
    }
}
