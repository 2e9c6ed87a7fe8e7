namespace Microsoft.ML.Autoencoders.Files;

/// <summary>Writes a file through a temporary sibling, so an existing file is only ever replaced by a complete new one.</summary>
internal static class AtomicFile
{
    /// <summary>
    /// Writes <paramref name="path"/> with <paramref name="write"/>; on failure deletes the temporary file and throws an
    /// <see cref="IOException"/> naming <paramref name="what"/> and the full path.
    /// </summary>
    public static void Write(string path, string what, Action<Stream> write)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var full = Path.GetFullPath(path);
        var temp = full + ".tmp-" + Guid.NewGuid().ToString("N");
        try
        {
            using (var file = File.Create(temp)) write(file);
            File.Move(temp, full, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            if (File.Exists(temp)) File.Delete(temp);
            throw new IOException($"Could not write {what} to '{full}': {e.Message}", e);
        }
    }
}
