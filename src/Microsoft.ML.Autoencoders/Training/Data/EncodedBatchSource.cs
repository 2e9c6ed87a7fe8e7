using static TorchSharp.torch;

namespace Microsoft.ML.Autoencoders.Training.Data;

/// <summary>
/// Batches of another source passed through a frozen encoder, one batch at a time: the codes of a whole
/// data set are never held in memory. Disposing it leaves the inner source to its owner.
/// </summary>
internal sealed class EncodedBatchSource(IBatchSource inner, Func<Tensor, Tensor> encoder) : IBatchSource
{
    public long Rows => inner.Rows;

    public IEnumerable<Batch> GetBatches(int epoch, bool shuffle)
    {
        foreach (var batch in inner.GetBatches(epoch, shuffle))
        {
            Tensor code;
            using (no_grad()) code = encoder(batch.Features);
            yield return batch with { Features = code };
        }
    }

    public void Dispose() { }
}
