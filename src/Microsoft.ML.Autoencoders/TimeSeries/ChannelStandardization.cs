namespace Microsoft.ML.Autoencoders.TimeSeries;

/// <summary>Per-channel mean and standard deviation learned on training points; a constant channel is only centred.</summary>
internal sealed record ChannelStandardization(double[] Mean, double[] Deviation)
{
    public static ChannelStandardization Fit(IReadOnlyList<float[]> points)
    {
        int channels = points[0].Length;
        var mean = new double[channels];
        var deviation = new double[channels];
        foreach (var p in points)
            for (int c = 0; c < channels; c++) mean[c] += p[c];
        for (int c = 0; c < channels; c++) mean[c] /= points.Count;
        foreach (var p in points)
            for (int c = 0; c < channels; c++) deviation[c] += (p[c] - mean[c]) * (p[c] - mean[c]);
        for (int c = 0; c < channels; c++)
        {
            double sd = Math.Sqrt(deviation[c] / points.Count);
            deviation[c] = sd > 1e-12 * Math.Max(1, Math.Abs(mean[c])) ? sd : 1;
        }
        return new ChannelStandardization(mean, deviation);
    }

    /// <summary>Writes the standardised <paramref name="point"/> to <paramref name="destination"/>.</summary>
    public void Apply(ReadOnlySpan<float> point, Span<float> destination)
    {
        for (int c = 0; c < Mean.Length; c++) destination[c] = (float)((point[c] - Mean[c]) / Deviation[c]);
    }
}
