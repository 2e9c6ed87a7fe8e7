using Microsoft.ML.Data;

namespace Microsoft.ML.Autoencoders.Training.Data;

/// <summary>Schema checks for the input column every autoencoder reads: a known-size vector of Single.</summary>
internal static class VectorColumn
{
    /// <summary>Returns the column's vector length, or throws naming the column, what was expected and what was found.</summary>
    public static int RequireKnownSizeSingleVector(DataViewSchema schema, string columnName)
    {
        var column = schema.GetColumnOrNull(columnName)
            ?? throw new ArgumentOutOfRangeException(nameof(columnName),
                $"Input column '{columnName}' not found. Available columns: {string.Join(", ", schema.Select(c => $"'{c.Name}'"))}.");
        if (column.Type is not VectorDataViewType vector || vector.ItemType != NumberDataViewType.Single || !vector.IsKnownSize)
            throw new ArgumentOutOfRangeException(nameof(columnName),
                $"Schema mismatch for input column '{columnName}': expected known-size vector of Single, got {column.Type}.");
        return vector.Size;
    }

    /// <summary>The check a fitted transformer makes: the column is a vector of Single of exactly <paramref name="expectedSize"/> values.</summary>
    public static void RequireSize(DataViewSchema schema, string columnName, int expectedSize)
    {
        int size = RequireKnownSizeSingleVector(schema, columnName);
        if (size != expectedSize)
            throw new ArgumentOutOfRangeException(nameof(schema),
                $"Schema mismatch for input column '{columnName}': expected Vector<Single, {expectedSize}>, got Vector<Single, {size}>.");
    }

    /// <summary>The same check on a <see cref="SchemaShape"/> (used by GetOutputSchema before any data exists).</summary>
    public static void RequireKnownSizeSingleVector(SchemaShape schema, string columnName)
    {
        var found = schema.Where(c => c.Name == columnName).ToArray();
        if (found.Length == 0)
            throw new ArgumentOutOfRangeException(nameof(columnName),
                $"Input column '{columnName}' not found. Available columns: {string.Join(", ", schema.Select(c => $"'{c.Name}'"))}.");
        var column = found[^1];
        if (column.Kind != SchemaShape.Column.VectorKind.Vector || column.ItemType != NumberDataViewType.Single)
        {
            var kind = column.Kind switch
            {
                SchemaShape.Column.VectorKind.Scalar => column.ItemType.ToString(),
                SchemaShape.Column.VectorKind.VariableVector => $"Vector<{column.ItemType}> of variable size",
                _ => $"Vector<{column.ItemType}>",
            };
            throw new ArgumentOutOfRangeException(nameof(columnName),
                $"Schema mismatch for input column '{columnName}': expected known-size vector of Single, got {kind}.");
        }
    }

    /// <summary>Every row of the known-size vector column <paramref name="column"/>, in cursor order.</summary>
    public static float[][] ReadRows(IDataView data, string column)
    {
        RequireKnownSizeSingleVector(data.Schema, column);
        var col = data.Schema[column];
        var rows = new List<float[]>();
        using var cursor = data.GetRowCursor([col]);
        var getter = cursor.GetGetter<VBuffer<float>>(col);
        VBuffer<float> buffer = default;
        while (cursor.MoveNext())
        {
            getter(ref buffer);
            rows.Add(buffer.DenseValues().ToArray());
        }
        return rows.ToArray();
    }

    /// <summary>True when no value is NaN or infinite.</summary>
    public static bool AllFinite(ReadOnlySpan<float> values)
    {
        foreach (var v in values) if (!float.IsFinite(v)) return false;
        return true;
    }
}
