using SkiaSharp;

namespace AutoencoderSamples.Common;

/// <summary>Draws search results from image files: one row per query — the query, a gap, then its hits (green frame = same label).</summary>
internal static class ContactSheet
{
    public static void Save(string path, string title, IReadOnlyList<(string QueryFile, string QueryLabel, IReadOnlyList<(string File, string Label)> Hits)> rows, int cell = 48)
    {
        const int margin = 6, gap = 18, titleHeight = 26, frame = 3;
        int columns = rows.Max(r => r.Hits.Count);
        using var text = new SKPaint { Color = SKColors.Black, IsAntialias = true, TextSize = 15 };
        int width = Math.Max(margin + (cell + margin) * (columns + 1) + gap, 2 * margin + (int)Math.Ceiling(text.MeasureText(title)));
        int height = titleHeight + rows.Count * (cell + margin) + margin;
        using var bitmap = new SKBitmap(width, height);
        using var canvas = new SKCanvas(bitmap);
        canvas.Clear(SKColors.White);
        canvas.DrawText(title, margin, 18, text);
        using var same = new SKPaint { Color = new SKColor(30, 160, 60), Style = SKPaintStyle.Stroke, StrokeWidth = frame };
        using var other = new SKPaint { Color = new SKColor(210, 40, 40), Style = SKPaintStyle.Stroke, StrokeWidth = frame };
        using var sampling = new SKPaint { IsAntialias = false };
        for (int r = 0; r < rows.Count; r++)
        {
            int top = titleHeight + r * (cell + margin);
            Draw(canvas, rows[r].QueryFile, SKRect.Create(margin, top, cell, cell), sampling);
            for (int c = 0; c < rows[r].Hits.Count; c++)
            {
                var rect = SKRect.Create(margin + (cell + margin) * (c + 1) + gap, top, cell, cell);
                Draw(canvas, rows[r].Hits[c].File, rect, sampling);
                rect.Inflate(-frame / 2f, -frame / 2f);
                canvas.DrawRect(rect, rows[r].Hits[c].Label == rows[r].QueryLabel ? same : other);
            }
        }
        using var png = SKImage.FromBitmap(bitmap).Encode(SKEncodedImageFormat.Png, 100);
        using var file = File.Create(path);
        png.SaveTo(file);
    }

    private static void Draw(SKCanvas canvas, string file, SKRect rect, SKPaint paint)
    {
        using var image = SKBitmap.Decode(file);
        if (image is not null) canvas.DrawBitmap(image, rect, paint);
    }
}
