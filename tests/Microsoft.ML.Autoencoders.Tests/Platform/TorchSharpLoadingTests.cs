using System.Runtime.InteropServices;
using TorchSharp;

namespace Microsoft.ML.Autoencoders.Tests.Platform;

/// <summary>TorchSharp's native library loads in this process (on Debian 12 only thanks to the build step).</summary>
public class TorchSharpLoadingTests
{
    [Fact]
    public void TorchSharp_initialises_and_computes()
    {
        using var x = torch.ones(3, 4);
        using var y = torch.mm(x, x.t());
        Assert.Equal(36f, y.sum().item<float>());
    }

    [Fact]
    public void Build_output_copy_is_patched_only_where_needed_and_the_package_cache_is_untouched()
    {
        Assert.True(OperatingSystem.IsLinux(), "This repository's CI runs on Linux; the patch applies there only.");
        var output = Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native", "libLibTorchSharp.so");
        var packages = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        var cached = Path.Combine(packages, "torchsharp", "0.107.0", "runtimes", "linux-x64", "native", "libLibTorchSharp.so");
        Assert.True(File.Exists(output), output);
        Assert.True(File.Exists(cached), cached);

        var a = File.ReadAllBytes(cached);
        var b = File.ReadAllBytes(output);
        Assert.Equal(a.Length, b.Length);
        int differing = a.Zip(b).Count(p => p.First != p.Second);
        bool systemHasVersion = File.ReadAllText("/usr/lib/x86_64-linux-gnu/libstdc++.so.6", System.Text.Encoding.Latin1).Contains("GLIBCXX_3.4.32\0");
        if (systemHasVersion)
            Assert.Equal(0, differing);
        else
            Assert.Equal(1, differing); // only the VER_FLG_WEAK bit of one vna_flags field
        // The cached original still asks for GLIBCXX_3.4.32 as a hard requirement; loading it unpatched would fail here.
        Assert.Contains("GLIBCXX_3.4.32", System.Text.Encoding.Latin1.GetString(a));
    }
}
