namespace Microsoft.ML.Autoencoders.Tests.Infrastructure;

public static class RepositoryPaths
{
    /// <summary>The folder holding AutoencodersML.sln.</summary>
    public static string Root { get; } = Find();

    /// <summary>Debug or Release, as this test assembly was built.</summary>
    public static string Configuration => new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)).Parent!.Name;

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "AutoencodersML.sln"))) return dir.FullName;
        throw new DirectoryNotFoundException("AutoencodersML.sln not found above " + AppContext.BaseDirectory);
    }
}
