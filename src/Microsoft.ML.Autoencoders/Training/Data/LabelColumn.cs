using Microsoft.ML.Data;

namespace Microsoft.ML.Autoencoders.Training.Data;

/// <summary>
/// A class-label column read as 0-based class indices, with −1 for a missing label: a key column (key value 0
/// is missing, key k is class k − 1) or a Single/Double column holding class numbers 0, 1, 2, … (NaN is missing).
/// Rows without a label take part in unsupervised pretraining only.
/// </summary>
internal sealed class LabelColumn
{
    private LabelColumn(DataViewSchema.Column column, int? keyCount)
    {
        Column = column;
        KeyCount = keyCount;
    }

    public DataViewSchema.Column Column { get; }

    /// <summary>Number of classes a key column declares (null for numeric labels: the data decides).</summary>
    public int? KeyCount { get; }

    public string Name => Column.Name;

    /// <summary>Finds and checks the label column, or throws naming it and what was wrong.</summary>
    public static LabelColumn Resolve(DataViewSchema schema, string name)
    {
        var column = schema.GetColumnOrNull(name)
            ?? throw new ArgumentOutOfRangeException(nameof(name),
                $"Label column '{name}' not found. Available columns: {string.Join(", ", schema.Select(c => $"'{c.Name}'"))}.");
        return column.Type switch
        {
            KeyDataViewType key when key.Count is > 0 and <= int.MaxValue => new LabelColumn(column, (int)key.Count),
            NumberDataViewType n when n == NumberDataViewType.Single || n == NumberDataViewType.Double => new LabelColumn(column, null),
            _ => throw new ArgumentOutOfRangeException(nameof(name),
                $"Schema mismatch for label column '{name}': expected a key type (e.g. from mlContext.Transforms.Conversion.MapValueToKey) " +
                $"or Single/Double class numbers, got {column.Type}."),
        };
    }

    /// <summary>Counts the labelled rows and the number of classes (the key count, or the largest class number + 1).</summary>
    public (long LabelledRows, int Classes) Scan(IDataView data, CancellationToken cancellation)
    {
        using var cursor = data.GetRowCursor([data.Schema[Name]]);
        var classOf = ClassGetter(cursor);
        long labelled = 0, largest = -1, rows = 0;
        while (cursor.MoveNext())
        {
            if ((rows++ & 1023) == 0) cancellation.ThrowIfCancellationRequested();
            long c = classOf();
            if (c < 0) continue;
            labelled++;
            largest = Math.Max(largest, c);
        }
        return (labelled, KeyCount ?? (int)(largest + 1));
    }

    /// <summary>A getter returning the current row's class index, or −1 when the label is missing.</summary>
    public Func<long> ClassGetter(DataViewRow row)
    {
        switch (Column.Type.RawType)
        {
            case Type t when t == typeof(uint): return Key<uint>(row, v => v);
            case Type t when t == typeof(ushort): return Key<ushort>(row, v => v);
            case Type t when t == typeof(byte): return Key<byte>(row, v => v);
            case Type t when t == typeof(ulong): return Key<ulong>(row, v => v);
            case Type t when t == typeof(float): return Number<float>(row, v => v);
            default: return Number<double>(row, v => v);
        }
    }

    private Func<long> Key<T>(DataViewRow row, Func<T, ulong> value)
    {
        var getter = row.GetGetter<T>(row.Schema[Name]);
        T raw = default!;
        return () =>
        {
            getter(ref raw);
            return (long)value(raw) - 1;
        };
    }

    private Func<long> Number<T>(DataViewRow row, Func<T, double> value)
    {
        var getter = row.GetGetter<T>(row.Schema[Name]);
        T raw = default!;
        long position = 0;
        return () =>
        {
            getter(ref raw);
            double v = value(raw);
            position++;
            if (double.IsNaN(v)) return -1;
            if (v < 0 || v != Math.Floor(v) || v > int.MaxValue)
                throw new InvalidOperationException(
                    $"Label column '{Name}' holds {v} at row {position - 1}: numeric labels must be class numbers 0, 1, 2, … (or NaN for a missing label). " +
                    "Map other labels to keys first (mlContext.Transforms.Conversion.MapValueToKey).");
            return (long)v;
        };
    }
}
