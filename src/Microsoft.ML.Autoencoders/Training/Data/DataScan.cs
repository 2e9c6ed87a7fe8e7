using System.Numerics.Tensors;
using Microsoft.ML.Data;

namespace Microsoft.ML.Autoencoders.Training.Data;

/// <summary>
/// One pass over the training column before training: counts rows, rejects NaN/∞ and values too large for float32
/// squared errors (naming the column, row and slot), and records the value range used to pick the reconstruction loss.
/// </summary>
internal sealed record DataScan(long Rows, float Min, float Max)
{
    /// <summary>True when every value lies in [0, 1], so a sigmoid output and binary cross-entropy fit the data.</summary>
    public bool IsUnitInterval => Min >= 0f && Max <= 1f;

    public static DataScan Run(IDataView data, string columnName, int size, CancellationToken cancellation)
    {
        var column = data.Schema[columnName];
        using var cursor = data.GetRowCursor([column]);
        var getter = cursor.GetGetter<VBuffer<float>>(column);
        var buffer = default(VBuffer<float>);
        var row = new float[size];
        long rows = 0;
        float min = float.PositiveInfinity, max = float.NegativeInfinity;
        while (cursor.MoveNext())
        {
            if ((rows & 1023) == 0) cancellation.ThrowIfCancellationRequested();
            getter(ref buffer);
            RowValues.CopyDense(buffer, row, columnName, rows);
            RowValues.ThrowIfNotFinite(row, columnName, rows);
            RowValues.ThrowIfTooLarge(row, columnName, rows);
            min = Math.Min(min, TensorPrimitives.Min<float>(row));
            max = Math.Max(max, TensorPrimitives.Max<float>(row));
            rows++;
        }
        return new DataScan(rows, min, max);
    }
}

/// <summary>Copies and checks the values of one row of a vector column.</summary>
internal static class RowValues
{
    /// <summary>Copies a (dense or sparse) vector into <paramref name="destination"/>, zero-filling absent slots.</summary>
    public static void CopyDense(in VBuffer<float> source, Span<float> destination, string columnName, long row)
    {
        if (source.Length != destination.Length)
            throw new InvalidOperationException(
                $"Column '{columnName}' row {row}: expected a vector of {destination.Length} values, found {source.Length}.");
        source.CopyTo(destination);
    }

    /// <summary>
    /// The largest magnitude training accepts: √float.MaxValue / 4096 ≈ 4.5e15. A squared error of a larger value, summed
    /// over a row and a batch, overflows float32 to ∞, so training on it could only "diverge".
    /// </summary>
    public static readonly float MaxMagnitude = MathF.Sqrt(float.MaxValue) / 4096;

    /// <summary>Throws when a value's magnitude exceeds <see cref="MaxMagnitude"/>, naming column, row and slot.</summary>
    public static void ThrowIfTooLarge(ReadOnlySpan<float> values, string columnName, long row)
    {
        if (values.Length == 0 || MathF.Abs(TensorPrimitives.MaxMagnitude(values)) <= MaxMagnitude) return;
        int slot = TensorPrimitives.IndexOfMaxMagnitude(values);
        throw new InvalidOperationException(
            $"Column '{columnName}' holds {values[slot]:G3} at row {row}, slot {slot}: values larger than {MaxMagnitude:G2} in magnitude overflow " +
            "float32 when their squared reconstruction errors are summed, so training cannot work on this scale. Rescale the column first " +
            "(e.g. mlContext.Transforms.NormalizeMinMax or NormalizeMeanVariance).");
    }

    /// <summary>Throws when the row holds NaN or ±∞, naming column, row and slot.</summary>
    public static void ThrowIfNotFinite(ReadOnlySpan<float> values, string columnName, long row)
    {
        // The sum is finite for almost every finite row; only then is a slot-by-slot look needed.
        if (float.IsFinite(TensorPrimitives.Sum(values))) return;
        for (int i = 0; i < values.Length; i++)
            if (!float.IsFinite(values[i]))
                throw new InvalidOperationException(
                    $"Column '{columnName}' has a non-finite value ({values[i]}) at row {row}, slot {i}. " +
                    "Autoencoders need finite inputs: replace missing values first (e.g. mlContext.Transforms.ReplaceMissingValues).");
    }
}
