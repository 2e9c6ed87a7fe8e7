using System.Text.Json;

namespace Microsoft.ML.Autoencoders.Tests.Infrastructure;

/// <summary>Runs a Samples sub-command in its own process (as a user would) and reads its results.json.</summary>
public static class SampleRunner
{
    public static (string OutputDirectory, JsonElement Results, string Console) Run(string scenario, params string[] extraArguments)
    {
        var samples = Path.Combine(RepositoryPaths.Root, "src", "Samples", "bin", RepositoryPaths.Configuration, "net10.0", "Samples.dll");
        Assert.True(File.Exists(samples), samples);
        var output = Directory.CreateTempSubdirectory($"ae-sample-{scenario}-").FullName;
        var run = ProcessRunner.Run("dotnet", [samples, scenario, "--quick", "--quiet", "--data", TestData.Root, "--out", output, .. extraArguments],
            output, TimeSpan.FromMinutes(10));
        Assert.True(run.ExitCode == 0, run.Output);
        var results = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "results.json"))).RootElement;
        return (output, results, run.Output);
    }
}
