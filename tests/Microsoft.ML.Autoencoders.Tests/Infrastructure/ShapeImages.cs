using SkiaSharp;

namespace Microsoft.ML.Autoencoders.Tests.Infrastructure;

/// <summary>Writes a small folder of generated colour images in three classes (one sub-folder each): not MNIST, not digits.</summary>
public static class ShapeImages
{
    public static readonly string[] Classes = ["ring", "square", "stripes"];

    /// <summary>Writes <paramref name="perClass"/> PNGs per class under <paramref name="folder"/>/class/ with random position, size and colours.</summary>
    public static void Write(string folder, int perClass, int size = 32, int seed = 1)
    {
        var random = new Random(seed);
        foreach (var shape in Classes)
        {
            var dir = Directory.CreateDirectory(Path.Combine(folder, shape)).FullName;
            for (int i = 0; i < perClass; i++)
            {
                using var bitmap = new SKBitmap(size, size);
                using var canvas = new SKCanvas(bitmap);
                canvas.Clear(new SKColor((byte)random.Next(0, 40), (byte)random.Next(0, 40), (byte)random.Next(0, 40)));
                int bright = random.Next(170, 230);
                using var paint = new SKPaint { Color = new SKColor((byte)(bright + random.Next(0, 26)), (byte)(bright + random.Next(0, 26)), (byte)(bright + random.Next(0, 26))), IsAntialias = true };
                float s = size * (0.25f + 0.15f * (float)random.NextDouble());
                float cx = size / 2f + (float)(random.NextDouble() - 0.5) * size * 0.3f, cy = size / 2f + (float)(random.NextDouble() - 0.5) * size * 0.3f;
                switch (shape)
                {
                    case "ring": paint.Style = SKPaintStyle.Stroke; paint.StrokeWidth = 3; canvas.DrawCircle(cx, cy, s, paint); break;
                    case "square": canvas.DrawRect(cx - s, cy - s, 2 * s, 2 * s, paint); break;
                    default:
                        for (float y = random.Next(0, 3); y < size; y += 6) canvas.DrawRect(0, y, size, 3, paint);
                        break;
                }
                using var png = SKImage.FromBitmap(bitmap).Encode(SKEncodedImageFormat.Png, 100);
                using var file = File.Create(Path.Combine(dir, $"{shape}_{i:D3}.png"));
                png.SaveTo(file);
            }
        }
    }
}
