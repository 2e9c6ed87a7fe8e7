using System.Text.Json;

namespace Microsoft.ML.Autoencoders.Tests.Infrastructure;

/// <summary>Runs a sample sub-command in its own process (as a user would) and reads its results.json.</summary>
public static class SampleRunner
{
    /// <summary>The built sample app's dll.</summary>
    public static string AppPath(string app) => Path.Combine(RepositoryPaths.Root, "src", app, "bin", RepositoryPaths.Configuration, "net10.0", app + ".dll");

    /// <summary>Runs a sub-command of the Samples app with --quick --quiet.</summary>
    public static (string OutputDirectory, JsonElement Results, string Console) Run(string scenario, params string[] extraArguments)
    {
        var samples = AppPath("Samples");
        Assert.True(File.Exists(samples), samples);
        var output = Directory.CreateTempSubdirectory($"ae-sample-{scenario}-").FullName;
        var run = ProcessRunner.Run("dotnet", [samples, scenario, "--quick", "--quiet", "--data", TestData.Root, "--out", output, .. extraArguments],
            output, TimeSpan.FromMinutes(20)); // a safety net: quick runs take a minute or two on an idle 2-core machine
        Assert.True(run.ExitCode == 0, run.Output);
        var results = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "results.json"))).RootElement;
        return (output, results, run.Output);
    }
}
