namespace Microsoft.ML.Autoencoders;

/// <summary>
/// The range of each channel's values over the points of a stream seen so far, and whether a new point lies beyond it by
/// more than a tolerance (a fraction of the range) — the "spatial anomaly" rule of Numenta's HTM detector, which flags a
/// value no window of the past could have prepared the detector for. <see cref="StreamingAnomalyModel"/> applies it when
/// <see cref="StreamingAnomalyDetectorOptions.SpatialTolerance"/> is set; it is public so that other scorers of a stream
/// (a baseline, a rule of your own) can apply the same rule.
/// </summary>
public sealed class SeenRange
{
    private readonly double[] _minimum, _maximum;

    /// <summary>An empty range over <paramref name="channels"/> channels; <paramref name="tolerance"/> null never flags a point.</summary>
    public SeenRange(int channels, double? tolerance)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(channels, 1);
        if (tolerance is double t && !(t >= 0 && double.IsFinite(t))) throw new ArgumentOutOfRangeException(nameof(tolerance), t, "The tolerance must be zero or positive.");
        Tolerance = tolerance;
        _minimum = Enumerable.Repeat(double.PositiveInfinity, channels).ToArray();
        _maximum = Enumerable.Repeat(double.NegativeInfinity, channels).ToArray();
    }

    /// <summary>The fraction of a channel's range a value may lie beyond it unflagged; null: never flagged.</summary>
    public double? Tolerance { get; }

    /// <summary>
    /// Returns the first channel whose value lies beyond the range seen before this point by more than the tolerance (−1
    /// if none, or while a channel has shown a single value), then widens the range to include the point.
    /// </summary>
    public int Observe(ReadOnlySpan<float> point)
    {
        int outside = -1;
        for (int c = 0; c < _minimum.Length; c++)
        {
            if (Tolerance is double tolerance && outside < 0 && _maximum[c] > _minimum[c])
            {
                double margin = tolerance * (_maximum[c] - _minimum[c]);
                if (point[c] > _maximum[c] + margin || point[c] < _minimum[c] - margin) outside = c;
            }
            _minimum[c] = Math.Min(_minimum[c], point[c]);
            _maximum[c] = Math.Max(_maximum[c], point[c]);
        }
        return outside;
    }

    internal (double[] Minimum, double[] Maximum) State() => ((double[])_minimum.Clone(), (double[])_maximum.Clone());

    internal static SeenRange Restore(double? tolerance, double[] minimum, double[] maximum)
    {
        if (minimum.Length != maximum.Length || minimum.Length < 1) throw new InvalidDataException("The saved value range does not hold one minimum and one maximum per channel.");
        var range = new SeenRange(minimum.Length, tolerance);
        minimum.CopyTo(range._minimum, 0);
        maximum.CopyTo(range._maximum, 0);
        return range;
    }
}
