namespace Microsoft.ML.Autoencoders.Datasets;

/// <summary>The local half of every data set's lookup: the folder passed in, the environment variable's folder, the cache — each as given or its named sub-folder.</summary>
internal static class DatasetFolders
{
    /// <summary>
    /// The first of <paramref name="directory"/>, <paramref name="environmentDirectory"/> and <paramref name="cacheDirectory"/>
    /// (each tried as <c>dir/subfolder</c>, then <c>dir</c>) that <paramref name="check"/> accepts (returns null for),
    /// or null; each rejected source is logged and added to <paramref name="tried"/> with the reason. The folder the caller
    /// named explicitly is not skipped: when it fails the check, an <see cref="InvalidDataException"/> says why, so that
    /// a run never reports figures for other data (say, a cached copy) than the data it was pointed at.
    /// </summary>
    public static string? FindLocal(string dataSet, string subfolder, string? directory, string? environmentDirectory, string cacheDirectory,
        Func<string, string?> check, Action<string> log, List<string> tried)
    {
        foreach (var (label, dir) in new[] { ("--data folder", directory), ($"${MnistFiles.EnvironmentVariable}", environmentDirectory), ("cache", cacheDirectory) })
        {
            if (string.IsNullOrEmpty(dir)) continue;
            foreach (var candidate in new[] { Path.Combine(dir, subfolder), dir })
            {
                var problem = check(candidate);
                if (problem is null)
                {
                    log($"{dataSet}: using {candidate} ({label}).");
                    return candidate;
                }
                if (candidate != dir) continue;
                if (dir == directory)
                    throw new InvalidDataException($"The {dataSet} folder named explicitly, '{dir}', cannot be used: {problem} " +
                        $"(also looked in its '{subfolder}' sub-folder). Fix or replace the files, or leave the folder out to use ${MnistFiles.EnvironmentVariable}, the cache or a download.");
                log($"{dataSet}: skipping {label} {dir}: {problem}");
                tried.Add($"{label} {dir}: {problem}");
            }
        }
        return null;
    }
}
