namespace Microsoft.ML.Autoencoders.Training.Data;

/// <summary>How many rows a mini-batch really holds.</summary>
internal static class BatchSizing
{
    /// <summary>
    /// <paramref name="batchSize"/>, or all <paramref name="rows"/> when there are fewer (one batch per epoch, whatever the
    /// option says). Throws naming <paramref name="option"/> when one batch of <paramref name="size"/> values would not fit in one buffer.
    /// </summary>
    public static int Effective(int batchSize, long rows, int size, string option)
    {
        int effective = (int)Math.Clamp(rows, 1, batchSize);
        if ((long)effective * size > Array.MaxLength)
            throw new ArgumentOutOfRangeException(option, batchSize,
                $"Option '{option}' = {batchSize} makes mini-batches of {effective:N0} rows × {size:N0} values, more than one buffer can hold; use a smaller batch size.");
        return effective;
    }
}
