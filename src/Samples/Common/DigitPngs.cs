using Microsoft.ML.Autoencoders.Datasets;
using SkiaSharp;

namespace AutoencoderSamples.Common;

/// <summary>Writes MNIST digits as 8-bit grayscale PNG files, one sub-folder per digit (so the folder's labels are the digits).</summary>
internal static class DigitPngs
{
    /// <summary>Writes <paramref name="images"/> under <paramref name="folder"/>/digit/index.png unless exactly those files are already there.</summary>
    public static void Write(string folder, IReadOnlyList<MnistImage> images)
    {
        var marker = Path.Combine(folder, ".complete");
        if (File.Exists(marker) && File.ReadAllText(marker) == images.Count.ToString()) return;
        if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        for (int d = 0; d < 10; d++) Directory.CreateDirectory(Path.Combine(folder, d.ToString()));
        Parallel.For(0, images.Count, i =>
        {
            var pixels = images[i].Pixels;
            using var bitmap = new SKBitmap(new SKImageInfo(28, 28, SKColorType.Gray8, SKAlphaType.Opaque));
            var bytes = pixels.Select(v => (byte)Math.Round(v * 255)).ToArray();
            System.Runtime.InteropServices.Marshal.Copy(bytes, 0, bitmap.GetPixels(), bytes.Length);
            using var png = SKImage.FromBitmap(bitmap).Encode(SKEncodedImageFormat.Png, 100);
            using var file = File.Create(Path.Combine(folder, images[i].Digit.ToString(), $"{i:D5}.png"));
            png.SaveTo(file);
        });
        File.WriteAllText(marker, images.Count.ToString());
    }
}
