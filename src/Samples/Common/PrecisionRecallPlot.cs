namespace AutoencoderSamples.Common;

/// <summary>Precision against recall on a log-scaled recall axis, one line per method (ScottPlot), like the 2006 paper's figure.</summary>
internal static class PrecisionRecallPlot
{
    public static void Save(string path, string title, IReadOnlyList<double> recallLevels, IReadOnlyList<(string Name, double[] Precision)> curves)
    {
        var plot = new ScottPlot.Plot();
        var palette = new ScottPlot.Palettes.Category10();
        var x = recallLevels.Select(Math.Log10).ToArray();
        for (int i = 0; i < curves.Count; i++)
        {
            var line = plot.Add.Scatter(x, curves[i].Precision.Select(p => 100 * p).ToArray(), palette.GetColor(i));
            line.LegendText = curves[i].Name;
            line.LineWidth = 2;
            line.MarkerSize = 6;
        }
        plot.Axes.Bottom.SetTicks(x, recallLevels.Select(r => r.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture)).ToArray());
        plot.Axes.SetLimitsY(0, 100);
        plot.Title(title);
        plot.XLabel("recall (log scale)");
        plot.YLabel("precision (%)");
        plot.ShowLegend(ScottPlot.Alignment.LowerLeft);
        plot.SavePng(path, 900, 650);
    }
}
