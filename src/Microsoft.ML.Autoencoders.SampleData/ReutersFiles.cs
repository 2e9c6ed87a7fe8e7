using System.Formats.Tar;
using System.IO.Compression;

namespace Microsoft.ML.Autoencoders.Datasets;

/// <summary>
/// Finds the Reuters-21578 SGML files, downloading and caching them when needed. Sources, in order: the folder passed
/// in (or its <c>reuters21578</c> sub-folder); <see cref="MnistFiles.EnvironmentVariable"/> (likewise); the per-user
/// cache; a download of the distribution archive from its public home. Every file is parsed before it is used.
/// </summary>
public static class ReutersFiles
{
    /// <summary>The distribution's public home (the UCI KDD archive), tried in order.</summary>
    public static readonly IReadOnlyList<string> Archives =
    [
        "https://kdd.ics.uci.edu/databases/reuters21578/reuters21578.tar.gz",
        "https://archive.ics.uci.edu/static/public/137/reuters+21578+text+categorization+collection.zip",
    ];

    /// <summary>Per-user cache: <c>~/.local/share/Microsoft.ML.Autoencoders/reuters21578</c> on Linux.</summary>
    public static string DefaultCacheDirectory => Path.Combine(
        Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.Create),
        "Microsoft.ML.Autoencoders", "reuters21578");

    /// <summary>Returns a folder holding the 22 SGML files; throws <see cref="FileNotFoundException"/> listing every source tried.</summary>
    public static string Ensure(string? directory = null, string? cacheDirectory = null, Action<string>? log = null) =>
        Ensure(directory, Environment.GetEnvironmentVariable(MnistFiles.EnvironmentVariable), cacheDirectory, log, Archives);

    internal static string Ensure(string? directory, string? environmentDirectory, string? cacheDirectory, Action<string>? log, IReadOnlyList<string> archives)
    {
        log ??= _ => { };
        var tried = new List<string>();
        cacheDirectory ??= DefaultCacheDirectory;
        if (DatasetFolders.FindLocal("Reuters-21578", "reuters21578", directory, environmentDirectory, cacheDirectory, Check, log, tried) is string found) return found;

        Directory.CreateDirectory(cacheDirectory);
        foreach (var archive in archives)
        {
            try
            {
                log($"Reuters-21578: downloading {archive} ...");
                Download(archive, cacheDirectory);
                var problem = Check(cacheDirectory);
                if (problem is null) return cacheDirectory;
                tried.Add($"download {archive}: {problem}");
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException or InvalidDataException)
            {
                tried.Add($"download {archive}: {e.Message}");
            }
        }
        throw new FileNotFoundException("Reuters-21578 files not found. Tried:\n  - " + string.Join("\n  - ", tried) +
            $"\nPut reut2-000.sgm … reut2-021.sgm (gzipped or not) in a folder and pass it with --data DIR or set {MnistFiles.EnvironmentVariable}=DIR.");
    }

    /// <summary>Null when <paramref name="directory"/> holds all 22 files and each parses; otherwise what is wrong.</summary>
    public static string? Check(string directory)
    {
        if (!Directory.Exists(directory)) return "folder does not exist";
        int documents = 0;
        foreach (var name in Reuters.FileNames)
        {
            try { documents += Reuters.ReadFile(Reuters.Locate(directory, name)).Count; }
            catch (Exception e) when (e is FileNotFoundException or InvalidDataException or IOException) { return e.Message; }
        }
        return documents == Reuters.DocumentCount ? null : $"the files hold {documents} stories, expected {Reuters.DocumentCount}";
    }

    private static void Download(string url, string cacheDirectory)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromMinutes(3) };
        var temp = Path.Combine(cacheDirectory, "archive.download");
        using (var response = http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead).GetAwaiter().GetResult())
        {
            response.EnsureSuccessStatusCode();
            using var file = File.Create(temp);
            response.Content.ReadAsStream().CopyTo(file);
        }
        try
        {
            if (url.EndsWith(".zip", StringComparison.OrdinalIgnoreCase))
            {
                using var zip = ZipFile.OpenRead(temp);
                foreach (var entry in zip.Entries.Where(e => IsSgm(e.Name))) entry.ExtractToFile(Path.Combine(cacheDirectory, entry.Name), overwrite: true);
                // The UCI zip wraps the tar.gz; unpack it when present.
                foreach (var inner in zip.Entries.Where(e => e.Name.EndsWith(".tar.gz", StringComparison.OrdinalIgnoreCase)))
                    using (var s = inner.Open()) ExtractTarGz(s, cacheDirectory);
            }
            else
            {
                using var s = File.OpenRead(temp);
                ExtractTarGz(s, cacheDirectory);
            }
        }
        finally
        {
            File.Delete(temp);
        }
    }

    private static void ExtractTarGz(Stream stream, string cacheDirectory)
    {
        using var gz = new GZipStream(stream, CompressionMode.Decompress);
        using var tar = new TarReader(gz);
        while (tar.GetNextEntry() is { } entry)
        {
            var name = Path.GetFileName(entry.Name);
            if (entry.DataStream is null || !IsSgm(name)) continue;
            entry.ExtractToFile(Path.Combine(cacheDirectory, name), overwrite: true);
        }
    }

    private static bool IsSgm(string name) => name.StartsWith("reut2-", StringComparison.Ordinal) && name.EndsWith(".sgm", StringComparison.Ordinal);
}
