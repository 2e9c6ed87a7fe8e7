using Microsoft.ML;
using Microsoft.ML.Autoencoders.Datasets;
using Microsoft.ML.Transforms.Image;

namespace AutoencoderSamples.Common;

/// <summary>A folder's images split into a database and queries: every 5th image, after a shuffle seeded by the run's seed, is a query.</summary>
internal sealed record ImageSplit(IReadOnlyList<ImageFile> Database, IReadOnlyList<ImageFile> Queries)
{
    public static ImageSplit Of(string folder, SampleOptions o)
    {
        var files = ImageFolder.List(folder, skipUnreadable: true, onSkipped: (path, reason) => o.Say($"Skipped {path}: {reason}", always: true)).ToArray();
        new Random(o.Seed).Shuffle(files);
        return new ImageSplit(files.Where((_, i) => i % 5 != 0).ToArray(), files.Where((_, i) => i % 5 == 0).ToArray());
    }
}

/// <summary>Image files to a cached <c>Pixels</c> column through ML.NET's LoadImages → ResizeImages → ExtractPixels ([C, H, W], values in [0, 1]).</summary>
internal static class ImageFolderPixels
{
    /// <summary>A loader for lists of files, fitted once; <paramref name="grayscale"/> keeps one channel (digits), else three.</summary>
    public static Func<IReadOnlyList<ImageFile>, IDataView> Loader(MLContext ml, int side, bool grayscale, ImageFile anyFile)
    {
        var loadPixels = ml.Transforms.LoadImages("Image", imageFolder: null, inputColumnName: nameof(ImageFile.ImagePath))
            .Append(ml.Transforms.ResizeImages("Image", side, side));
        var pipeline = grayscale
            ? loadPixels.Append(ml.Transforms.ConvertToGrayscale("Image"))
                .Append(ml.Transforms.ExtractPixels("Pixels", "Image", ImagePixelExtractingEstimator.ColorBits.Red, scaleImage: 1f / 255))
            : loadPixels.Append(ml.Transforms.ExtractPixels("Pixels", "Image", scaleImage: 1f / 255));
        var model = pipeline.Append(ml.Transforms.DropColumns("Image")).Fit(ml.Data.LoadFromEnumerable(new[] { anyFile }));
        return files => ml.Data.Cache(model.Transform(ml.Data.LoadFromEnumerable(files)));
    }
}
