using System.Text.RegularExpressions;
using Microsoft.ML.Autoencoders.Tests.Infrastructure;

namespace Microsoft.ML.Autoencoders.Tests.Platform;

/// <summary>
/// What the shipped packages' sources must not do, read from the sources themselves: start processes, reach the network,
/// set environment variables (beyond the documented OpenMP wait policy), or write protobuf by hand; and the layering of
/// the core (ONNX format ← layers and networks ← export), so that no import cycle comes back.
/// </summary>
public class PackageShapeTests
{
    private static readonly string Src = Path.Combine(RepositoryPaths.Root, "src");

    /// <summary>The C# files of the packages users reference (the sample-data project and the samples ship nothing).</summary>
    private static IEnumerable<string> ShippedSources() => Directory.GetDirectories(Src, "Microsoft.ML.Autoencoders*")
        .Where(d => Path.GetFileName(d) != "Microsoft.ML.Autoencoders.SampleData")
        .SelectMany(d => Directory.EnumerateFiles(d, "*.cs", SearchOption.AllDirectories))
        .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}") && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}"));

    private static string[] Offending(IEnumerable<string> files, string pattern) =>
        files.Where(f => Regex.IsMatch(File.ReadAllText(f), pattern)).Select(f => Path.GetRelativePath(Src, f)).ToArray();

    [Fact]
    public void Shipped_packages_start_no_process_reach_no_network_and_set_no_environment_beyond_the_wait_policy()
    {
        var files = ShippedSources().ToArray();
        Assert.True(files.Length > 100, $"only {files.Length} shipped sources found under {Src}");
        Assert.Empty(Offending(files, @"Process\.Start|ProcessStartInfo"));
        Assert.Empty(Offending(files, @"HttpClient|WebClient|WebRequest|System\.Net\.(Http|Sockets)"));
        Assert.Equal([Path.Combine("Microsoft.ML.Autoencoders", "Training", "ThreadWaitPolicy.cs")], Offending(files, @"setenv|SetEnvironmentVariable"));
    }

    [Fact]
    public void Onnx_is_written_and_read_through_the_generated_message_types_only()
    {
        Assert.Empty(Offending(ShippedSources(), @"CodedInputStream|CodedOutputStream|WireFormat"));
        Assert.True(File.Exists(Path.Combine(Src, "Microsoft.ML.Autoencoders", "Onnx", "onnx.proto")));
    }

    [Fact]
    public void The_onnx_format_layers_and_networks_do_not_depend_on_export()
    {
        string core = Path.Combine(Src, "Microsoft.ML.Autoencoders");
        IEnumerable<string> Under(string folder) => Directory.EnumerateFiles(Path.Combine(core, folder), "*.cs", SearchOption.AllDirectories);
        Assert.Empty(Offending(Under("Onnx"), @"using Microsoft\.ML\.Autoencoders\.(Export|Training)"));
        Assert.Empty(Offending(Under("Training"), @"using Microsoft\.ML\.Autoencoders\.Export"));
    }
}
