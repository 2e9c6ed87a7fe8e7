using Microsoft.ML.Data;

namespace Microsoft.ML.Autoencoders.TimeSeries;

/// <summary>Checks on the points of a time series and the IDataView of its windows.</summary>
internal static class TimeSeriesPoints
{
    /// <summary>Throws naming the point and channel when the points are empty, ragged or not finite; returns the channel count.</summary>
    public static int Check(IReadOnlyList<float[]> points, int? channels, string what)
    {
        ArgumentNullException.ThrowIfNull(points, what);
        if (points.Count == 0) throw new ArgumentException($"The {what} hold no points.", what);
        int expected = channels ?? points[0]?.Length ?? 0;
        if (expected < 1) throw new ArgumentException($"Point 0 of the {what} has no values (each point needs one value per channel).", what);
        for (int i = 0; i < points.Count; i++)
        {
            var p = points[i] ?? throw new ArgumentException($"Point {i} of the {what} is null.", what);
            CheckPoint(p, expected, i, what);
        }
        return expected;
    }

    /// <summary>
    /// Throws naming the point (<paramref name="index"/>, and <paramref name="of"/> when given) when it has the wrong length
    /// or a value that is NaN or ±∞. The message is built only on failure: streaming checks every point.
    /// </summary>
    public static void CheckPoint(ReadOnlySpan<float> point, int channels, long index, string? of = null)
    {
        string Where() => of is null ? $"point {index}" : $"point {index} of the {of}";
        if (point.Length != channels) throw new ArgumentException($"The {Where()} has {point.Length} values; the detector's points have {channels} (one per channel).");
        for (int c = 0; c < channels; c++)
            if (!float.IsFinite(point[c])) throw new ArgumentException($"The {Where()} holds {point[c]} in channel {c}; every value must be a finite number.");
    }

    /// <summary>
    /// The windows of standardised points as rows of one known-size vector column, [time, channel] order, each ending
    /// at point window − 1, window − 1 + stride, …
    /// </summary>
    public static IDataView Windows(MLContext ml, IReadOnlyList<float[]> points, ChannelStandardization scaling, int window, int stride, string column)
    {
        int channels = scaling.Mean.Length, size = window * channels;
        var standardised = new float[points.Count * channels];
        for (int i = 0; i < points.Count; i++) scaling.Apply(points[i], standardised.AsSpan(i * channels, channels));
        var rows = new List<WindowRow>();
        for (int end = window - 1; end < points.Count; end += stride)
            rows.Add(new WindowRow { Values = standardised.AsSpan((end - window + 1) * channels, size).ToArray() });
        var schema = SchemaDefinition.Create(typeof(WindowRow));
        schema[nameof(WindowRow.Values)].ColumnName = column;
        schema[column].ColumnType = new VectorDataViewType(NumberDataViewType.Single, size);
        return ml.Data.LoadFromEnumerable(rows, schema);
    }

    private sealed class WindowRow
    {
        public float[] Values { get; set; } = [];
    }
}
