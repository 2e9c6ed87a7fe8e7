using Microsoft.ML.Autoencoders;
using Microsoft.ML;
using SkiaSharp;

namespace AutoencoderSamples.Common;

/// <summary>Draws rows of grayscale images (values in [0, 1]) as one PNG, each row labelled on the left.</summary>
internal static class DigitGrid
{
    public static void Save(string path, IReadOnlyList<(string Label, IReadOnlyList<float[]> Images)> rows, int width = 28, int height = 28, int scale = 2)
    {
        const int margin = 4, labelWidth = 150;
        int columns = rows.Max(r => r.Images.Count);
        int cellW = width * scale + margin, cellH = height * scale + margin;
        using var bitmap = new SKBitmap(labelWidth + columns * cellW + margin, rows.Count * cellH + margin);
        using var canvas = new SKCanvas(bitmap);
        canvas.Clear(SKColors.White);
        using var font = new SKFont(SKTypeface.Default, 14);
        using var text = new SKPaint { Color = SKColors.Black, IsAntialias = true };

        for (int r = 0; r < rows.Count; r++)
        {
            int top = margin + r * cellH;
            canvas.DrawText(rows[r].Label, 6, top + cellH / 2f + 5, SKTextAlign.Left, font, text);
            for (int c = 0; c < rows[r].Images.Count; c++)
            {
                using var image = ToBitmap(rows[r].Images[c], width, height);
                var dest = SKRect.Create(labelWidth + c * cellW, top, width * scale, height * scale);
                canvas.DrawBitmap(image, dest, new SKPaint { IsAntialias = false });
            }
        }
        using var png = SKImage.FromBitmap(bitmap).Encode(SKEncodedImageFormat.Png, 100);
        using var file = File.Create(path);
        png.SaveTo(file);
    }

    /// <summary>
    /// Tiles images in a grid with no labels, each tile stretched to its own min..max (for learned filters,
    /// whose weights have no fixed range).
    /// </summary>
    public static void SaveTiles(string path, IReadOnlyList<float[]> tiles, int columns, int width = 28, int height = 28)
    {
        const int gap = 1;
        int rows = (tiles.Count + columns - 1) / columns;
        using var bitmap = new SKBitmap(columns * (width + gap) + gap, rows * (height + gap) + gap);
        using var canvas = new SKCanvas(bitmap);
        canvas.Clear(SKColors.Gray);
        for (int t = 0; t < tiles.Count; t++)
        {
            float min = tiles[t].Min(), max = tiles[t].Max();
            var scaled = tiles[t].Select(v => max > min ? 1 - (v - min) / (max - min) : 0.5f).ToArray();
            using var tile = ToBitmap(scaled, width, height);
            canvas.DrawBitmap(tile, gap + (t % columns) * (width + gap), gap + (t / columns) * (height + gap));
        }
        using var png = SKImage.FromBitmap(bitmap).Encode(SKEncodedImageFormat.Png, 100);
        using var file = File.Create(path);
        png.SaveTo(file);
    }

    /// <summary>Dark strokes on white, like the printed figures: 0 → white, 1 → black.</summary>
    private static SKBitmap ToBitmap(float[] pixels, int width, int height)
    {
        var bitmap = new SKBitmap(width, height, SKColorType.Gray8, SKAlphaType.Opaque);
        var bytes = new byte[width * height];
        for (int i = 0; i < bytes.Length; i++) bytes[i] = (byte)(255 - Math.Clamp(pixels[i], 0f, 1f) * 255);
        System.Runtime.InteropServices.Marshal.Copy(bytes, 0, bitmap.GetPixels(), bytes.Length);
        return bitmap;
    }
}
