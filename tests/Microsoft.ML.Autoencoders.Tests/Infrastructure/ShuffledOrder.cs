using Xunit.Abstractions;
using Xunit.Sdk;

[assembly: TestCollectionOrderer("Microsoft.ML.Autoencoders.Tests.Infrastructure.ShuffledOrder", "Microsoft.ML.Autoencoders.Tests")]
[assembly: TestCaseOrderer("Microsoft.ML.Autoencoders.Tests.Infrastructure.ShuffledOrder", "Microsoft.ML.Autoencoders.Tests")]

namespace Microsoft.ML.Autoencoders.Tests.Infrastructure;

/// <summary>
/// Runs test collections, and the tests inside each, in a random order when <see cref="SeedVariable"/> holds a seed
/// (the order is reproducible from it), and in xUnit's usual order otherwise: the stress check of the suite runs it
/// with several seeds to show that no test depends on another having run first.
/// </summary>
public sealed class ShuffledOrder : ITestCollectionOrderer, ITestCaseOrderer
{
    public const string SeedVariable = "AUTOENCODERS_TEST_ORDER_SEED";

    private static readonly int? Seed = int.TryParse(Environment.GetEnvironmentVariable(SeedVariable), out var seed) ? seed : null;

    public IEnumerable<ITestCollection> OrderTestCollections(IEnumerable<ITestCollection> testCollections) =>
        Shuffle(testCollections.OrderBy(c => c.DisplayName, StringComparer.Ordinal), c => c.DisplayName);

    public IEnumerable<TTestCase> OrderTestCases<TTestCase>(IEnumerable<TTestCase> testCases) where TTestCase : ITestCase =>
        Shuffle(testCases.OrderBy(t => t.UniqueID, StringComparer.Ordinal), t => t.UniqueID);

    private static IEnumerable<T> Shuffle<T>(IEnumerable<T> items, Func<T, string> key)
    {
        if (Seed is not int seed) return items;
        // Each item's place depends on the seed and its own name only (FNV-1a: string.GetHashCode changes per process).
        return items.OrderBy(i => (uint)StableHash($"{seed}:{key(i)}"));
    }

    private static int StableHash(string s)
    {
        unchecked
        {
            int h = (int)2166136261;
            foreach (char c in s) h = (h ^ c) * 16777619;
            return h;
        }
    }
}
