using Microsoft.ML.Autoencoders.Datasets;
using Microsoft.ML.Data;

namespace Microsoft.ML.Autoencoders.Tests.Infrastructure;

/// <summary>MNIST as small semi-supervised test data: 3,000 training images of which the first few keep their label, 1,000 test images.</summary>
public static class FewLabelDigits
{
    public sealed class Row
    {
        /// <summary>The digit, or NaN for an unlabelled row.</summary>
        public float Label { get; set; }

        [VectorType(MnistImage.PixelCount)]
        public float[] Pixels { get; set; } = [];
    }

    public static readonly IReadOnlyList<MnistImage> Train = Mnist.ReadImages(TestData.MnistDirectory, MnistSplit.Train, 3000);
    public static readonly IReadOnlyList<MnistImage> Test = Mnist.ReadImages(TestData.MnistDirectory, MnistSplit.Test, 1000);

    /// <summary>The training images; only the first <paramref name="labelled"/> keep their label (NaN = unlabelled).</summary>
    public static IDataView Semi(MLContext ml, int labelled) =>
        ml.Data.LoadFromEnumerable(Train.Select((m, i) => new Row { Pixels = m.Pixels, Label = i < labelled ? m.Digit : float.NaN }).ToArray());

    /// <summary>The test images, every one labelled.</summary>
    public static IDataView TestView(MLContext ml) =>
        ml.Data.LoadFromEnumerable(Test.Select(m => new Row { Pixels = m.Pixels, Label = m.Digit }).ToArray());
}
