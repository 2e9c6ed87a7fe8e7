using Microsoft.ML.Autoencoders;
using Microsoft.ML;
namespace AutoencoderSamples.Common;

/// <summary>2-D scatter plots coloured by class with a legend (ScottPlot).</summary>
internal static class ScatterPlot
{
    public static void Save(string path, string title, IReadOnlyList<float[]> points, IReadOnlyList<string> labels, string xLabel, string yLabel)
    {
        var plot = new ScottPlot.Plot();
        var palette = new ScottPlot.Palettes.Category10();
        var classes = labels.Distinct().OrderBy(l => l, StringComparer.Ordinal).ToArray();
        for (int c = 0; c < classes.Length; c++)
        {
            var idx = Enumerable.Range(0, points.Count).Where(i => labels[i] == classes[c]).ToArray();
            var scatter = plot.Add.ScatterPoints(idx.Select(i => (double)points[i][0]).ToArray(), idx.Select(i => (double)points[i][1]).ToArray(), palette.GetColor(c));
            scatter.MarkerSize = 3;
            scatter.LegendText = classes[c];
        }
        plot.Title(title);
        plot.XLabel(xLabel);
        plot.YLabel(yLabel);
        plot.ShowLegend(ScottPlot.Alignment.UpperRight);
        plot.SavePng(path, 900, 750);
    }
}
