using Microsoft.ML.Data;

namespace Microsoft.ML.Autoencoders.Datasets;

/// <summary>One MNIST image as ML.NET sees it.</summary>
public sealed class MnistImage
{
    /// <summary>Number of pixels (28 × 28).</summary>
    public const int PixelCount = 784;

    /// <summary>
    /// The digit as a key of 10 values, usable as a classifier label. In .NET objects ML.NET keys are 0-based
    /// (this property holds the digit itself); inside an IDataView the same key reads as digit + 1, 0 being "missing".
    /// </summary>
    [KeyType(10)]
    public uint Label { get; set; }

    /// <summary>The digit 0–9.</summary>
    public int Digit { get; set; }

    /// <summary>Pixel intensities scaled to [0, 1], row-major.</summary>
    [VectorType(PixelCount)]
    public float[] Pixels { get; set; } = [];
}

/// <summary>Which MNIST file pair to read.</summary>
public enum MnistSplit
{
    /// <summary>The 60,000 training images (train-*-ubyte).</summary>
    Train,
    /// <summary>The 10,000 test images (t10k-*-ubyte).</summary>
    Test,
}

/// <summary>Loads MNIST from a folder holding the four IDX files (gzipped or not) into an IDataView.</summary>
public static class Mnist
{
    /// <summary>The four file names, as published (each may also be present without the .gz suffix).</summary>
    public static readonly IReadOnlyList<string> FileNames =
    [
        "train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz", "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz",
    ];

    /// <summary>Reads one split as objects (first <paramref name="maxRows"/> images when given).</summary>
    public static IReadOnlyList<MnistImage> ReadImages(string directory, MnistSplit split, int? maxRows = null)
    {
        var prefix = split == MnistSplit.Train ? "train" : "t10k";
        var imagesPath = Locate(directory, $"{prefix}-images-idx3-ubyte");
        var labelsPath = Locate(directory, $"{prefix}-labels-idx1-ubyte");
        var (count, rows, cols, pixels) = IdxFile.ReadImages(imagesPath, maxRows);
        var labels = IdxFile.ReadLabels(labelsPath, maxRows);
        if (rows * cols != MnistImage.PixelCount)
            throw new InvalidDataException($"'{imagesPath}' holds {rows}x{cols} images; MNIST images are 28x28.");
        if (labels.Length != count)
            throw new InvalidDataException($"'{labelsPath}' has {labels.Length} labels but '{imagesPath}' has {count} images.");

        var result = new MnistImage[count];
        for (int i = 0; i < count; i++)
        {
            if (labels[i] > 9) throw new InvalidDataException($"'{labelsPath}' item {i} is {labels[i]}, not a digit 0-9.");
            var p = new float[MnistImage.PixelCount];
            var source = pixels.AsSpan(i * MnistImage.PixelCount, MnistImage.PixelCount);
            for (int j = 0; j < p.Length; j++) p[j] = source[j] / 255f;
            result[i] = new MnistImage { Label = labels[i], Digit = labels[i], Pixels = p };
        }
        return result;
    }

    /// <summary>Reads one split into an IDataView with columns Label (key), Digit (int) and Pixels (vector&lt;float&gt;[784] in [0, 1]).</summary>
    public static IDataView Load(MLContext mlContext, string directory, MnistSplit split, int? maxRows = null) =>
        mlContext.Data.LoadFromEnumerable(ReadImages(directory, split, maxRows));

    /// <summary>Path of <paramref name="baseName"/> in <paramref name="directory"/>, gzipped or not.</summary>
    public static string Locate(string directory, string baseName)
    {
        foreach (var name in new[] { baseName + ".gz", baseName })
        {
            var path = Path.Combine(directory, name);
            if (File.Exists(path)) return path;
        }
        throw new FileNotFoundException($"MNIST file '{baseName}(.gz)' not found in '{directory}'.", Path.Combine(directory, baseName + ".gz"));
    }
}
