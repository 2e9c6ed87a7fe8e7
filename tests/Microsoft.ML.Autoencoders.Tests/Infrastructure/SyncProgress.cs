namespace Microsoft.ML.Autoencoders.Tests.Infrastructure;

/// <summary>
/// An <see cref="IProgress{T}"/> that runs its action on the reporting (training) thread, unlike
/// <see cref="Progress{T}"/>, which posts to the thread pool: tests can read state at the exact report.
/// </summary>
public sealed class SyncProgress<T>(Action<T> action) : IProgress<T>
{
    public void Report(T value) => action(value);
}
