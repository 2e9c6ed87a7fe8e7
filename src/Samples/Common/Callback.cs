namespace AutoencoderSamples.Common;

/// <summary>A synchronous <see cref="IProgress{T}"/> (the BCL's Progress posts to the thread pool and may reorder).</summary>
internal sealed class Callback<T>(Action<T> action) : IProgress<T>
{
    public void Report(T value) => action(value);
}
