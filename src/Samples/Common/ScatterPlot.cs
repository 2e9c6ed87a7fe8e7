namespace AutoencoderSamples.Common;

/// <summary>2-D scatter plots coloured by class with a legend (ScottPlot), optionally with a query and its results marked.</summary>
internal static class ScatterPlot
{
    /// <summary>The label drawn in grey, underneath the coloured classes.</summary>
    public const string Other = "other";

    public static void Save(string path, string title, IReadOnlyList<float[]> points, IReadOnlyList<string> labels, string xLabel, string yLabel) =>
        SaveWithQuery(path, title, points, labels, query: null, highlighted: [], xLabel, yLabel);

    /// <summary>
    /// The same plot with a query: <paramref name="query"/> drawn as a large red diamond and the points of <paramref name="highlighted"/>
    /// circled, over all <paramref name="points"/> coloured by <paramref name="labels"/> (<see cref="Other"/> in grey, underneath).
    /// </summary>
    public static void SaveWithQuery(string path, string title, IReadOnlyList<float[]> points, IReadOnlyList<string> labels, float[]? query,
        IReadOnlyList<int> highlighted, string xLabel, string yLabel)
    {
        var plot = new ScottPlot.Plot();
        var palette = new ScottPlot.Palettes.Category10();
        var classes = labels.Distinct().OrderBy(l => l == Other ? 0 : 1).ThenBy(l => l, StringComparer.Ordinal).ToArray();
        int colour = 0;
        foreach (var label in classes)
        {
            var idx = Enumerable.Range(0, points.Count).Where(i => labels[i] == label).ToArray();
            var scatter = plot.Add.ScatterPoints(idx.Select(i => (double)points[i][0]).ToArray(), idx.Select(i => (double)points[i][1]).ToArray(),
                label == Other ? ScottPlot.Colors.LightGray : palette.GetColor(colour++));
            scatter.MarkerSize = 3;
            scatter.LegendText = label;
        }
        if (highlighted.Count > 0)
        {
            var found = plot.Add.ScatterPoints(highlighted.Select(i => (double)points[i][0]).ToArray(), highlighted.Select(i => (double)points[i][1]).ToArray(), ScottPlot.Colors.Black);
            found.MarkerShape = ScottPlot.MarkerShape.OpenCircle;
            found.MarkerSize = 12;
            found.LegendText = "results";
        }
        if (query is not null)
        {
            var star = plot.Add.ScatterPoints(new[] { (double)query[0] }, new[] { (double)query[1] }, ScottPlot.Colors.Red);
            star.MarkerShape = ScottPlot.MarkerShape.FilledDiamond;
            star.MarkerSize = 18;
            star.LegendText = "query";
        }
        plot.Title(title);
        plot.XLabel(xLabel);
        plot.YLabel(yLabel);
        plot.ShowLegend(ScottPlot.Alignment.UpperRight);
        plot.SavePng(path, 900, 750);
    }
}
