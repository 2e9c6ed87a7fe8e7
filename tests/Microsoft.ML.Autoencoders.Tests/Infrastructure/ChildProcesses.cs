namespace Microsoft.ML.Autoencoders.Tests.Infrastructure;

/// <summary>
/// Test classes that start heavy child processes (sample runs, dotnet pack/run) share this xUnit collection, so at most
/// one such child runs at a time beside the in-process tests: two children plus the suite's own training would
/// oversubscribe a 2-core machine.
/// </summary>
[CollectionDefinition(Collection)]
public sealed class ChildProcesses
{
    public const string Collection = "Child processes";
}
