namespace Microsoft.ML.Autoencoders.Files;

/// <summary>
/// The files of a user's folder tree, as image folders and document collections read them: recursively, hidden entries
/// (names starting with '.') left out, symbolic links followed — except a directory link that leads back into the
/// directories being walked (a loop such as <c>dogs/loop -&gt; ..</c>), which is skipped, so every file is listed once per
/// path and the walk always ends.
/// </summary>
internal static class FolderWalk
{
    /// <summary>The files under <paramref name="root"/> (an existing folder), as paths relative to it.</summary>
    public static IEnumerable<string> RelativeFiles(string root)
    {
        var full = Path.GetFullPath(root);
        return Walk(full, "", [RealPath(new DirectoryInfo(full))]);
    }

    /// <summary>Throws naming <paramref name="path"/> when it is a file rather than a folder, or does not exist.</summary>
    public static string RequireFolder(string path, string what)
    {
        var full = Path.GetFullPath(path);
        if (File.Exists(full)) throw new DirectoryNotFoundException($"{what} '{full}' is a file, not a folder.");
        if (!Directory.Exists(full)) throw new DirectoryNotFoundException($"{what} '{full}' does not exist.");
        return full;
    }

    /// <summary>Throws naming <paramref name="path"/> when it is a folder rather than a file, or does not exist.</summary>
    public static string RequireFile(string path, string what)
    {
        var full = Path.GetFullPath(path);
        if (Directory.Exists(full)) throw new FileNotFoundException($"{what} '{full}' is a folder, not a file.", full);
        if (!File.Exists(full)) throw new FileNotFoundException($"{what} '{full}' does not exist.", full);
        return full;
    }

    private static IEnumerable<string> Walk(string directory, string relative, List<string> realAncestors)
    {
        foreach (var file in Directory.EnumerateFiles(directory).Order(StringComparer.Ordinal))
        {
            var name = Path.GetFileName(file);
            if (!name.StartsWith('.')) yield return Path.Combine(relative, name);
        }
        foreach (var sub in Directory.EnumerateDirectories(directory).Order(StringComparer.Ordinal))
        {
            var info = new DirectoryInfo(sub);
            if (info.Name.StartsWith('.')) continue;
            var real = info.LinkTarget is null ? Path.Combine(realAncestors[^1], info.Name) : RealPath(info);
            if (realAncestors.Contains(real, StringComparer.Ordinal)) continue; // a link back up the tree: a loop
            realAncestors.Add(real);
            foreach (var file in Walk(sub, Path.Combine(relative, info.Name), realAncestors)) yield return file;
            realAncestors.RemoveAt(realAncestors.Count - 1);
        }
    }

    private static string RealPath(DirectoryInfo directory)
    {
        var target = directory.LinkTarget is null ? null : directory.ResolveLinkTarget(returnFinalTarget: true);
        return Path.TrimEndingDirectorySeparator((target ?? directory).FullName);
    }
}
