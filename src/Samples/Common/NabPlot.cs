using Microsoft.ML.Autoencoders.Datasets.Nab;

namespace AutoencoderSamples.Common;

/// <summary>One NAB series (ScottPlot): its values, its anomaly windows shaded, and each detector's detections at its threshold as markers.</summary>
internal static class NabPlot
{
    public static void Save(string path, NabSeries series, IReadOnlyList<(string Name, double[] Scores, double Threshold)> detectors)
    {
        var plot = new ScottPlot.Plot();
        double low = series.Values.Min(), high = series.Values.Max(), span = Math.Max(high - low, 1e-9);
        foreach (var (first, last) in series.Windows)
        {
            var window = plot.Add.Rectangle(first, last, low, high);
            window.FillColor = ScottPlot.Colors.Orange.WithAlpha(0.25);
            window.LineWidth = 0;
        }
        var xs = Enumerable.Range(0, series.Values.Length).Select(i => (double)i).ToArray();
        var values = plot.Add.ScatterLine(xs, series.Values);
        values.LegendText = "value (anomaly windows shaded)";
        values.Color = ScottPlot.Colors.Gray;
        var probation = plot.Add.VerticalLine(NabScorer.ProbationaryLength(series.Values.Length));
        probation.LegendText = "end of probation";
        var palette = new ScottPlot.Palettes.Category10();
        for (int d = 0; d < detectors.Count; d++)
        {
            var (name, scores, threshold) = detectors[d];
            var hits = Enumerable.Range(0, scores.Length).Where(i => scores[i] >= threshold).ToArray();
            if (hits.Length == 0) continue;
            // Each detector's markers on its own band above the series.
            var markers = plot.Add.ScatterPoints(hits.Select(i => (double)i).ToArray(), hits.Select(_ => high + span * (0.05 + 0.05 * d)).ToArray(), palette.GetColor(d));
            markers.LegendText = $"{name} detections";
            markers.MarkerSize = 6;
        }
        plot.Title(series.Name);
        plot.XLabel("row");
        plot.YLabel("value");
        plot.ShowLegend(ScottPlot.Alignment.UpperLeft);
        plot.SavePng(path, 1200, 500);
    }
}
