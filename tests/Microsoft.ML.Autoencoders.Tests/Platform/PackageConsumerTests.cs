using Microsoft.ML.Autoencoders.Tests.Infrastructure;

namespace Microsoft.ML.Autoencoders.Tests.Platform;

/// <summary>
/// The packed nupkg carries the TorchSharp native fix (buildTransitive): a throwaway console project that
/// references only the package (plus a TorchSharp backend) builds and runs a TorchSharp call; without a backend,
/// Fit names the package to add.
/// </summary>
[Collection(ChildProcesses.Collection)]
[Trait("Category", "Slow")]
public class PackageConsumerTests
{
    [Fact]
    public void A_project_consuming_the_nupkg_builds_and_runs_TorchSharp()
    {
        var work = Directory.CreateTempSubdirectory("ae-consumer-");
        try
        {
            // A unique version so the global package folder never serves a stale copy of an earlier run.
            var version = $"0.0.1-test{DateTime.UtcNow:yyyyMMddHHmmss}{Environment.ProcessId}";
            var feed = Directory.CreateDirectory(Path.Combine(work.FullName, "feed")).FullName;
            var pack = ProcessRunner.Run("dotnet", ["pack", Path.Combine(RepositoryPaths.Root, "src", "Microsoft.ML.Autoencoders"),
                "-c", "Release", "-o", feed, $"-p:Version={version}"], work.FullName, TimeSpan.FromMinutes(5));
            Assert.True(pack.ExitCode == 0, pack.Output);
            var nupkg = Path.Combine(feed, $"Microsoft.ML.Autoencoders.{version}.nupkg");
            Assert.True(File.Exists(nupkg), nupkg);
            using (var zip = System.IO.Compression.ZipFile.OpenRead(nupkg))
            {
                var entries = zip.Entries.Select(e => e.FullName).ToList();
                Assert.Contains("buildTransitive/Microsoft.ML.Autoencoders.targets", entries);
                Assert.Contains("buildTransitive/TorchSharpGlibcxxPatch.cs", entries);
                Assert.Contains(entries, e => e.EndsWith("Microsoft.ML.Autoencoders.xml"));
            }

            var app = Directory.CreateDirectory(Path.Combine(work.FullName, "app")).FullName;
            File.WriteAllText(Path.Combine(app, "NuGet.config"), $"""
                <?xml version="1.0" encoding="utf-8"?>
                <configuration>
                  <packageSources>
                    <add key="local-test-feed" value="{feed}" />
                  </packageSources>
                </configuration>
                """);
            File.WriteAllText(Path.Combine(app, "app.csproj"), $"""
                <Project Sdk="Microsoft.NET.Sdk">
                  <PropertyGroup>
                    <OutputType>Exe</OutputType>
                    <TargetFramework>net10.0</TargetFramework>
                    <NoWarn>NU1603</NoWarn>
                  </PropertyGroup>
                  <ItemGroup>
                    <PackageReference Include="Microsoft.ML.Autoencoders" Version="{version}" />
                    <PackageReference Include="TorchSharp-cpu" Version="0.107.0" />
                  </ItemGroup>
                </Project>
                """);
            File.WriteAllText(Path.Combine(app, "Program.cs"), """
                using TorchSharp;
                var x = torch.arange(1, 5, dtype: torch.float32);
                System.Console.WriteLine($"dot={torch.dot(x, x).item<float>()}");
                """);
            var run = ProcessRunner.Run("dotnet", ["run", "-c", "Release"], app, TimeSpan.FromMinutes(8));
            Assert.True(run.ExitCode == 0, run.Output);
            Assert.Contains("dot=30", run.Output);

            // The same package without a TorchSharp backend: Fit says which package to add (it used to die in
            // TorchSharp's TypeInitializationException, "Failed to load native component").
            var project = Path.Combine(app, "app.csproj");
            File.WriteAllText(project, File.ReadAllText(project).Replace("<PackageReference Include=\"TorchSharp-cpu\" Version=\"0.107.0\" />", ""));
            File.WriteAllText(Path.Combine(app, "Program.cs"), """
                using System;
                using System.Linq;
                using Microsoft.ML;
                using Microsoft.ML.Autoencoders;
                using Microsoft.ML.Data;
                var ml = new MLContext(seed: 1);
                var data = ml.Data.LoadFromEnumerable(Enumerable.Range(0, 20).Select(i => new Row { X = [i, 1, 2, 3] }));
                try { ml.Transforms.AutoencoderFeaturizer("Code", "X", new AutoencoderOptions { EncoderLayers = [4], CodeSize = 2, Epochs = 1 }).Fit(data); }
                catch (InvalidOperationException e) { System.Console.WriteLine("error: " + e.Message); }
                class Row { [VectorType(4)] public float[] X { get; set; } = []; }
                """);
            Directory.Delete(Path.Combine(app, "bin"), recursive: true);
            Directory.Delete(Path.Combine(app, "obj"), recursive: true);
            var bare = ProcessRunner.Run("dotnet", ["run", "-c", "Release"], app, TimeSpan.FromMinutes(8));
            Assert.True(bare.ExitCode == 0, bare.Output);
            Assert.Contains("error: Training needs TorchSharp's native library", bare.Output);
            Assert.Contains("TorchSharp-cpu", bare.Output);
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }
}
