namespace AutoencoderSamples.Common;

/// <summary>ROC curves (true-positive rate against false-positive rate), one line per method (ScottPlot).</summary>
internal static class RocPlot
{
    /// <summary>The ROC points of <paramref name="scores"/> (higher = more positive) against <paramref name="positive"/>.</summary>
    public static (double[] Fpr, double[] Tpr) Curve(IReadOnlyList<float> scores, IReadOnlyList<bool> positive)
    {
        var order = Enumerable.Range(0, scores.Count).OrderByDescending(i => scores[i]).ToArray();
        double p = positive.Count(b => b), n = positive.Count - p;
        var fpr = new List<double> { 0 };
        var tpr = new List<double> { 0 };
        double tp = 0, fp = 0;
        foreach (var i in order)
        {
            if (positive[i]) tp++; else fp++;
            fpr.Add(fp / n);
            tpr.Add(tp / p);
        }
        return (fpr.ToArray(), tpr.ToArray());
    }

    public static void Save(string path, string title, IReadOnlyList<(string Name, double[] Fpr, double[] Tpr)> curves)
    {
        var plot = new ScottPlot.Plot();
        var palette = new ScottPlot.Palettes.Category10();
        for (int i = 0; i < curves.Count; i++)
        {
            var line = plot.Add.ScatterLine(curves[i].Fpr, curves[i].Tpr, palette.GetColor(i));
            line.LegendText = curves[i].Name;
            line.LineWidth = 2;
        }
        plot.Axes.SetLimits(0, 1, 0, 1);
        plot.Title(title);
        plot.XLabel("false-positive rate");
        plot.YLabel("true-positive rate");
        plot.ShowLegend(ScottPlot.Alignment.LowerRight);
        plot.SavePng(path, 800, 650);
    }
}
