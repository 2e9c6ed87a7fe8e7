using Microsoft.ML.Autoencoders.Files;
using System.Collections.Concurrent;
using Microsoft.ML.Data;

namespace Microsoft.ML.Autoencoders.Datasets;

/// <summary>One image file found by <see cref="ImageFolder"/>.</summary>
public sealed class ImageFile
{
    /// <summary>Full path of the file (what <c>LoadImages</c> reads).</summary>
    public string ImagePath { get; set; } = "";

    /// <summary>The name of the sub-folder the file sits in, relative to the root; empty for files at the root.</summary>
    public string Label { get; set; } = "";
}

/// <summary>
/// Lists a folder of images (labels from sub-folder names) as an IDataView with <c>ImagePath</c> and <c>Label</c>
/// columns, the input of ML.NET's <c>LoadImages → ResizeImages → ExtractPixels</c>. Every file is decoded once
/// up front, so an unreadable or non-image file is named here instead of failing deep inside a pipeline.
/// </summary>
public static class ImageFolder
{
    /// <summary>Extensions read as images (case-insensitive).</summary>
    public static readonly IReadOnlyList<string> ImageExtensions = [".png", ".jpg", ".jpeg", ".bmp", ".gif", ".webp"];

    /// <summary>
    /// The images under <paramref name="folder"/> (recursively, sorted by path; a directory link back into the tree is not
    /// followed, so a loop is listed once). Hidden files are ignored. With
    /// <paramref name="skipUnreadable"/> false (the default) any file that is not a decodable image throws an
    /// <see cref="InvalidDataException"/> naming it; with true such files are passed to <paramref name="onSkipped"/>
    /// (path, reason) and left out.
    /// </summary>
    public static IReadOnlyList<ImageFile> List(string folder, bool skipUnreadable = false, Action<string, string>? onSkipped = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        var root = FolderWalk.RequireFolder(folder, "Image folder");
        var files = FolderWalk.RelativeFiles(root).Select(f => Path.Combine(root, f)).Order(StringComparer.Ordinal).ToArray();

        var problems = new ConcurrentDictionary<string, string>();
        Parallel.ForEach(files, file =>
        {
            if (Problem(file) is string reason) problems[file] = reason;
        });
        var bad = files.Where(problems.ContainsKey).ToArray();
        if (bad.Length > 0 && !skipUnreadable)
            throw new InvalidDataException($"'{bad[0]}' is not a readable image: {problems[bad[0]]}" +
                (bad.Length > 1 ? $" ({bad.Length - 1} more such files under '{root}')" : "") +
                ". Remove such files, or pass skipUnreadable: true to leave them out.");
        foreach (var file in bad) onSkipped?.Invoke(file, problems[file]);

        var images = files.Where(f => !problems.ContainsKey(f))
            .Select(f => new ImageFile { ImagePath = f, Label = LabelOf(root, f) }).ToArray();
        if (images.Length == 0) throw new InvalidDataException($"Image folder '{root}' holds no readable images ({string.Join(", ", ImageExtensions)}).");
        return images;
    }

    /// <summary>The same list as an IDataView (columns <c>ImagePath</c>, <c>Label</c>), ready for <c>mlContext.Transforms.LoadImages</c>.</summary>
    public static IDataView Load(MLContext mlContext, string folder, bool skipUnreadable = false, Action<string, string>? onSkipped = null)
    {
        ArgumentNullException.ThrowIfNull(mlContext);
        return mlContext.Data.LoadFromEnumerable(List(folder, skipUnreadable, onSkipped));
    }

    private static string LabelOf(string root, string file)
    {
        var relative = Path.GetRelativePath(root, file);
        int slash = relative.IndexOf(Path.DirectorySeparatorChar);
        return slash < 0 ? "" : relative[..slash];
    }

    private static string? Problem(string file)
    {
        if (!ImageExtensions.Contains(Path.GetExtension(file), StringComparer.OrdinalIgnoreCase))
            return $"extension '{Path.GetExtension(file)}' is not an image type ({string.Join(", ", ImageExtensions)})";
        try
        {
            using var image = MLImage.CreateFromFile(file);
            return image.Width > 0 && image.Height > 0 ? null : "it decodes to an empty image";
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return $"it cannot be read ({e.Message})";
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            // ML.NET's decoder reports any undecodable content as "Invalid path (Parameter 'imagePath')".
            return $"its {new FileInfo(file).Length:N0} bytes do not decode as an image (corrupt, truncated, or another format under an image extension)";
        }
    }
}
