namespace Microsoft.ML.Autoencoders.Training.Networks;

/// <summary>
/// Refuses, before anything is allocated, a network too large to train on this machine: torch would otherwise fail deep
/// inside an allocation ("can't allocate … bytes") without saying which option asked for it.
/// </summary>
internal static class NetworkSize
{
    /// <summary>Copies of every weight that training with Adam keeps: the weights, their gradients and two moment estimates.</summary>
    private const int CopiesWhileTraining = 4;

    /// <summary>Weights and biases of fully connected layers sizes[0] → sizes[1] → … (in long arithmetic: sizes may be absurd).</summary>
    public static long DenseParameters(IReadOnlyList<int> sizes)
    {
        long total = 0;
        for (int i = 0; i + 1 < sizes.Count; i++) total += (long)sizes[i] * sizes[i + 1] + sizes[i + 1];
        return total;
    }

    /// <summary>Throws naming <paramref name="options"/> when <paramref name="parameters"/> float weights cannot be trained in this process's memory.</summary>
    public static void CheckTrainable(long parameters, string options)
    {
        long available = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
        double needed = (double)parameters * sizeof(float) * CopiesWhileTraining;
        if (needed > available)
            throw new ArgumentOutOfRangeException(options,
                $"Options {options} describe a network of {parameters:N0} parameters: training it needs about {needed / (1L << 30):N1} GiB " +
                $"(weights, gradients and optimiser state), more than the {available / (double)(1L << 30):N1} GiB this process can use. Use smaller layers.");
    }
}
