using Microsoft.ML.Autoencoders.Datasets;

namespace Microsoft.ML.Autoencoders.Tests.Infrastructure;

/// <summary>Finds the shared data sets: AUTOENCODERS_DATA (a folder holding mnist/ and reuters21578/), else ../shared/data beside the repository.</summary>
public static class TestData
{
    public const string EnvironmentVariable = "AUTOENCODERS_DATA";

    public static string Root { get; } = FindRoot();

    public static string MnistDirectory => Path.Combine(Root, "mnist");

    public static string ReutersDirectory => Path.Combine(Root, "reuters21578");

    public static string NabDirectory => Path.Combine(Root, "nab");

    private static string FindRoot()
    {
        var fromEnvironment = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrEmpty(fromEnvironment)) return fromEnvironment;
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared", "data");
            if (Directory.Exists(Path.Combine(candidate, "mnist"))) return candidate;
        }
        throw new DirectoryNotFoundException(
            $"Test data not found: set {EnvironmentVariable} to a folder holding mnist/ and reuters21578/, or put the repository beside shared/data.");
    }

    private static readonly Lazy<IReadOnlyList<MnistImage>> MnistTrain = new(() => Mnist.ReadImages(MnistDirectory, MnistSplit.Train));
    private static readonly Lazy<IReadOnlyList<MnistImage>> MnistTest = new(() => Mnist.ReadImages(MnistDirectory, MnistSplit.Test));

    /// <summary>The first <paramref name="rows"/> MNIST training images (read once per test run).</summary>
    public static IDataView MnistTrainView(MLContext ml, int rows) => ml.Data.LoadFromEnumerable(MnistTrain.Value.Take(rows));

    /// <summary>The first <paramref name="rows"/> MNIST test images.</summary>
    public static IDataView MnistTestView(MLContext ml, int rows) => ml.Data.LoadFromEnumerable(MnistTest.Value.Take(rows));
}
