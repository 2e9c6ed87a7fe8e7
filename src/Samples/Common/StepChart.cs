using SkiaSharp;

namespace AutoencoderSamples.Common;

/// <summary>
/// A best-so-far chart drawn with SkiaSharp: one step line per series, coloured by group, with axes and a legend. (Written
/// when the image samples could not load ScottPlot beside ML.NET 5's image transforms; it is kept as it is.)
/// </summary>
internal static class StepChart
{
    private static readonly SKColor[] Palette = [new(31, 119, 180), new(255, 127, 14), new(44, 160, 44), new(214, 39, 40), new(148, 103, 189)];

    public static void Save(string path, string title, string xLabel, string yLabel, IReadOnlyList<(string Group, double[] X, double[] Y)> series, int width = 900, int height = 600)
    {
        const float left = 70, right = 20, top = 40, bottom = 50;
        var points = series.SelectMany(s => s.X.Zip(s.Y)).Where(p => double.IsFinite(p.First) && double.IsFinite(p.Second)).ToArray();
        double xMax = points.Length > 0 ? Math.Max(points.Max(p => p.First), 1e-9) : 1;
        double yMin = points.Length > 0 ? points.Min(p => p.Second) : 0, yMax = points.Length > 0 ? points.Max(p => p.Second) : 1;
        if (yMax - yMin < 1e-9) { yMin -= 0.01; yMax += 0.01; }
        float plotWidth = width - left - right, plotHeight = height - top - bottom;
        float X(double x) => left + (float)(x / xMax) * plotWidth;
        float Y(double y) => top + plotHeight - (float)((y - yMin) / (yMax - yMin)) * plotHeight;

        using var bitmap = new SKBitmap(width, height);
        using var canvas = new SKCanvas(bitmap);
        canvas.Clear(SKColors.White);
        using var text = new SKPaint { Color = SKColors.Black, IsAntialias = true, TextSize = 14 };
        using var axis = new SKPaint { Color = SKColors.Black, StrokeWidth = 1, Style = SKPaintStyle.Stroke };
        using var grid = new SKPaint { Color = new SKColor(225, 225, 225), StrokeWidth = 1, Style = SKPaintStyle.Stroke };
        canvas.DrawText(title, left, 24, text);
        for (int i = 0; i <= 5; i++)
        {
            double xv = xMax * i / 5, yv = yMin + (yMax - yMin) * i / 5;
            canvas.DrawLine(X(xv), top, X(xv), top + plotHeight, grid);
            canvas.DrawLine(left, Y(yv), left + plotWidth, Y(yv), grid);
            canvas.DrawText(xv.ToString("F0"), X(xv) - 10, top + plotHeight + 18, text);
            canvas.DrawText(yv.ToString("F3"), 8, Y(yv) + 5, text);
        }
        canvas.DrawRect(left, top, plotWidth, plotHeight, axis);
        canvas.DrawText(xLabel, left + plotWidth / 2 - 30, height - 10, text);
        canvas.DrawText(yLabel, left + 6, top + 16, text);

        var groups = series.Select(s => s.Group).Distinct().ToList();
        foreach (var (group, xs, ys) in series)
        {
            using var line = new SKPaint { Color = Palette[groups.IndexOf(group) % Palette.Length], StrokeWidth = 2, IsAntialias = true, Style = SKPaintStyle.Stroke };
            using var stepPath = new SKPath();
            bool started = false;
            for (int i = 0; i < xs.Length; i++)
            {
                if (!double.IsFinite(ys[i])) continue;
                if (!started) { stepPath.MoveTo(X(xs[i]), Y(ys[i])); started = true; }
                else { stepPath.LineTo(X(xs[i]), stepPath.LastPoint.Y); stepPath.LineTo(X(xs[i]), Y(ys[i])); }
            }
            if (started) stepPath.LineTo(X(xMax), stepPath.LastPoint.Y);
            canvas.DrawPath(stepPath, line);
        }
        for (int g = 0; g < groups.Count; g++)
        {
            using var swatch = new SKPaint { Color = Palette[g % Palette.Length], StrokeWidth = 3 };
            float y = top + plotHeight - 20 - 20 * (groups.Count - 1 - g);
            canvas.DrawLine(left + plotWidth - 140, y - 5, left + plotWidth - 110, y - 5, swatch);
            canvas.DrawText(groups[g], left + plotWidth - 100, y, text);
        }
        using var png = SKImage.FromBitmap(bitmap).Encode(SKEncodedImageFormat.Png, 100);
        using var file = File.Create(path);
        png.SaveTo(file);
    }
}
