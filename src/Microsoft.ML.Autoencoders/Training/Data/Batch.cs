using static TorchSharp.torch;

namespace Microsoft.ML.Autoencoders.Training.Data;

/// <summary>One mini-batch: features [N, D] and, for supervised fine-tuning, labels [N].</summary>
internal readonly record struct Batch(Tensor Features, Tensor? Labels = null)
{
    public long Rows => Features.shape[0];
}

/// <summary>
/// Where the training loop gets its mini-batches. Tensors are created inside the caller's dispose scope
/// (the loop opens one per step), so they are freed with it.
/// </summary>
internal interface IBatchSource : IDisposable
{
    /// <summary>Rows per epoch.</summary>
    long Rows { get; }

    /// <summary>The epoch's batches, reshuffled per epoch when <paramref name="shuffle"/> is set.</summary>
    IEnumerable<Batch> GetBatches(int epoch, bool shuffle);
}
