using Microsoft.ML.Autoencoders;
using Microsoft.ML;
using System.CommandLine;

namespace AutoencoderSamples.Common;

/// <summary>Options every scenario shares: where the data is, where output goes, how long to train, how much to print.</summary>
internal sealed record SampleOptions(string? DataDirectory, string OutputDirectory, bool Quick, bool Quiet, int Seed, int? Epochs)
{
    public static readonly Option<string?> Data = new("--data") { Description = "Folder holding the data set (or its parent). Default: $AUTOENCODERS_DATA, the per-user cache, then a download." };
    public static readonly Option<bool> QuickOption = new("--quick") { Description = "A few thousand rows and 1-2 epochs: a smoke run in about a minute." };
    public static readonly Option<bool> QuietOption = new("--quiet") { Description = "No progress bars; only the summary." };
    public static readonly Option<int> SeedOption = new("--seed") { Description = "Random seed for training and sampling.", DefaultValueFactory = _ => 1 };
    public static readonly Option<int?> EpochsOption = new("--epochs") { Description = "Training epochs (overrides the scenario's default)." };

    public static Option<string> Out(string defaultFolder) => new("--out") { Description = "Output folder for PNGs, report.md and results.json.", DefaultValueFactory = _ => defaultFolder };

    /// <summary>Adds the shared options (and an --out with the scenario's default folder) to a command.</summary>
    public static Option<string> AddTo(Command command, string defaultOut)
    {
        var output = Out(defaultOut);
        foreach (var o in new Option[] { Data, output, QuickOption, QuietOption, SeedOption, EpochsOption }) command.Options.Add(o);
        return output;
    }

    public static SampleOptions From(ParseResult result, Option<string> output) => new(
        result.GetValue(Data), result.GetValue(output)!, result.GetValue(QuickOption), result.GetValue(QuietOption),
        result.GetValue(SeedOption), result.GetValue(EpochsOption));
}
