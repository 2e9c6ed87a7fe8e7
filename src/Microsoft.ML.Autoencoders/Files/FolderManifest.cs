using System.Security.Cryptography;
using System.Text.Json;

namespace Microsoft.ML.Autoencoders.Files;

/// <summary>
/// The parts of a saved folder and the SHA-256 of each, in one JSON file written after the parts and checked before any
/// is read: a part that was edited, damaged, left from an interrupted save or copied in from another folder is named at
/// load instead of loading and answering differently (or failing later with a shape error).
/// </summary>
internal static class FolderManifest
{
    private const int FormatVersion = 1;

    private sealed record Contents(int Format, Dictionary<string, string> Files);

    /// <summary>Writes <paramref name="manifest"/> in <paramref name="folder"/> listing <paramref name="files"/> (names inside the folder) and their hashes.</summary>
    public static void Write(string folder, string manifest, IEnumerable<string> files)
    {
        var contents = new Contents(FormatVersion, files.ToDictionary(f => f, f => Hash(Path.Combine(folder, f)), StringComparer.Ordinal));
        AtomicFile.Write(Path.Combine(folder, manifest), "the folder's manifest", stream => JsonSerializer.Serialize(stream, contents, new JsonSerializerOptions { WriteIndented = true }));
    }

    /// <summary>
    /// Throws <see cref="InvalidDataException"/> (naming the file) unless <paramref name="manifest"/> lists exactly
    /// <paramref name="files"/> and each file's bytes match its hash; <see cref="FileNotFoundException"/> when a file is missing.
    /// </summary>
    public static void Verify(string folder, string manifest, IReadOnlyCollection<string> files)
    {
        var manifestPath = Path.Combine(folder, manifest);
        if (!File.Exists(manifestPath))
            throw new FileNotFoundException($"'{manifestPath}' is missing: the folder was not saved completely by this version (save it again).", manifestPath);
        Contents contents;
        try
        {
            contents = JsonSerializer.Deserialize<Contents>(File.ReadAllBytes(manifestPath)) ?? throw new JsonException("empty");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"'{manifestPath}' is not a readable manifest: {e.Message}", e);
        }
        if (contents.Format != FormatVersion || contents.Files is null)
            throw new InvalidDataException($"'{manifestPath}' has format {contents.Format}; this library reads {FormatVersion}.");
        foreach (var file in files)
        {
            var path = Path.Combine(folder, file);
            if (!contents.Files.TryGetValue(file, out var expected))
                throw new InvalidDataException($"'{manifestPath}' does not list '{file}': the folder's parts come from different saves.");
            if (!File.Exists(path)) throw new FileNotFoundException($"'{path}' is missing (the manifest lists it).", path);
            if (!string.Equals(Hash(path), expected, StringComparison.OrdinalIgnoreCase))
                throw new InvalidDataException($"'{path}' does not match the checksum saved with the folder: it was edited, damaged, or copied from another save.");
        }
    }

    private static string Hash(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexString(SHA256.HashData(stream));
    }
}
