using Microsoft.ML.Autoencoders;

namespace AutoencoderSamples.Common;

/// <summary>A learning curve (ScottPlot): the training loss every epoch and the monitored (test) error where it was measured, on two axes.</summary>
internal static class TrainingCurvePlot
{
    public static void Save(string path, string title, IReadOnlyList<EpochReport> history, string trainLabel, string monitorLabel)
    {
        var plot = new ScottPlot.Plot();
        var loss = plot.Add.Scatter(history.Select(h => (double)h.Epoch).ToArray(), history.Select(h => h.TrainLoss).ToArray());
        loss.LegendText = trainLabel;
        loss.LineWidth = 2;
        loss.MarkerSize = 0;
        var measured = history.Where(h => h.MonitorError is not null).ToArray();
        if (measured.Length > 0)
        {
            var error = plot.Add.Scatter(measured.Select(h => (double)h.Epoch).ToArray(), measured.Select(h => h.MonitorError!.Value).ToArray());
            error.LegendText = monitorLabel;
            error.LineWidth = 2;
            error.MarkerSize = 6;
            error.Axes.YAxis = plot.Axes.Right;
            plot.Axes.Right.Label.Text = monitorLabel;
        }
        plot.Title(title);
        plot.XLabel("epoch");
        plot.YLabel(trainLabel);
        plot.ShowLegend(ScottPlot.Alignment.UpperRight);
        plot.SavePng(path, 900, 600);
    }
}
