using Microsoft.ML.Autoencoders.Tests.Infrastructure;

namespace Microsoft.ML.Autoencoders.Tests.Platform;

/// <summary>
/// The packed nupkgs as a user takes them: the core carries the TorchSharp native fix (buildTransitive) — a throwaway
/// console project that references only the core (plus a TorchSharp backend) builds and runs a TorchSharp call, its
/// dependency closure holds no SkiaSharp, ImageAnalytics or USearch, and without a backend Fit names the package to add;
/// a second project takes each satellite package (Search, Text, Experiments, ImageAnalytics) and runs one call of each.
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
            foreach (var package in Packages)
            {
                var pack = ProcessRunner.Run("dotnet", ["pack", Path.Combine(RepositoryPaths.Root, "src", package),
                    "-c", "Release", "-o", feed, $"-p:Version={version}"], work.FullName, TimeSpan.FromMinutes(5));
                Assert.True(pack.ExitCode == 0, pack.Output);
                Assert.True(File.Exists(Path.Combine(feed, $"{package}.{version}.nupkg")), package);
            }
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
            // What the core brings into an application: ML.NET, ONNX Runtime, TorchSharp, protobuf — nothing of the satellites.
            // (TorchSharp 0.107.0 itself depends on SkiaSharp 2.88.6, managed code with macOS / Windows assets only; an
            // application on SkiaSharp 3 simply lifts it. No Linux SkiaSharp native library comes with the core.)
            var closure = ProcessRunner.Run("dotnet", ["list", "package", "--include-transitive"], app, TimeSpan.FromMinutes(2));
            Assert.True(closure.ExitCode == 0, closure.Output);
            Assert.Contains("Microsoft.ML.OnnxRuntime", closure.Output);
            foreach (var absent in new[] { "Microsoft.ML.ImageAnalytics", "USearch", "SkiaSharp.NativeAssets.Linux" })
                Assert.DoesNotContain(absent, closure.Output);

            SatellitesRunOneCallEach(work.FullName, version);

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

    private static readonly string[] Packages =
        ["Microsoft.ML.Autoencoders", "Microsoft.ML.Autoencoders.Search", "Microsoft.ML.Autoencoders.Text", "Microsoft.ML.Autoencoders.Experiments", "Microsoft.ML.Autoencoders.ImageAnalytics"];

    /// <summary>A project that takes every satellite package from the feed (which brings the core) and calls each once.</summary>
    private static void SatellitesRunOneCallEach(string work, string version)
    {
        var app = Directory.CreateDirectory(Path.Combine(work, "satellites")).FullName;
        File.Copy(Path.Combine(work, "app", "NuGet.config"), Path.Combine(app, "NuGet.config"));
        File.WriteAllText(Path.Combine(app, "satellites.csproj"), $$"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <NoWarn>NU1603</NoWarn>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="Microsoft.ML.Autoencoders.Search" Version="{{version}}" />
                <PackageReference Include="Microsoft.ML.Autoencoders.Text" Version="{{version}}" />
                <PackageReference Include="Microsoft.ML.Autoencoders.Experiments" Version="{{version}}" />
                <PackageReference Include="Microsoft.ML.Autoencoders.ImageAnalytics" Version="{{version}}" />
              </ItemGroup>
            </Project>
            """);
        File.WriteAllText(Path.Combine(app, "Program.cs"), """
            using System;
            using System.IO;
            using System.Linq;
            using Microsoft.ML;
            using Microsoft.ML.Autoencoders;
            using Microsoft.ML.Autoencoders.Datasets;
            using Microsoft.ML.Autoencoders.Experiments;
            using SkiaSharp;
            float[][] codes = [[1, 0], [0, 1], [0.9f, 0.1f]];
            Console.WriteLine($"search={CodeIndex.Create(codes).Search([1f, 0f], 2)[1].Row}");
            using (var approximate = ApproximateCodeIndex.Create(codes)) Console.WriteLine($"approximate={approximate.Search([0f, 1f], 1)[0].Row}");
            string[] texts = ["oil prices rose", "wheat harvest fell", "oil output"];
            var words = BagOfWords.Fit(new MLContext(), texts);
            var bm25 = Bm25Index.Create(words.Counts(texts));
            Console.WriteLine($"bm25={bm25.Search(words.Counts(["wheat"])[0], 1)[0].Row}");
            var space = new ParameterSpace().Int("Units", 8, 64).Choice("Activation", "relu", "tanh");
            var parameters = space.Decode(new RandomSearchTuner(space, 3).Propose(0).Point);
            Console.WriteLine($"experiments={parameters.Get<int>("Units") is >= 8 and <= 64}");
            var folder = Directory.CreateTempSubdirectory("images-").FullName;
            Directory.CreateDirectory(Path.Combine(folder, "red"));
            using (var bitmap = new SKBitmap(4, 4))
            {
                bitmap.Erase(SKColors.Red);
                using var png = bitmap.Encode(SKEncodedImageFormat.Png, 100);
                File.WriteAllBytes(Path.Combine(folder, "red", "a.png"), png.ToArray());
            }
            Console.WriteLine($"images={string.Join(',', ImageFolder.List(folder).Select(i => i.Label))}");
            Directory.Delete(folder, recursive: true);
            """);
        var run = ProcessRunner.Run("dotnet", ["run", "-c", "Release"], app, TimeSpan.FromMinutes(8));
        Assert.True(run.ExitCode == 0, run.Output);
        foreach (var line in new[] { "search=2", "approximate=1", "bm25=1", "experiments=True", "images=red" })
            Assert.Contains(line, run.Output);
    }
}
