using Microsoft.ML.Autoencoders.TimeSeries;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;

namespace Microsoft.ML.Autoencoders;

/// <summary>
/// Anomaly detection on a time series (one or more channels) as a stream: an autoencoder learns the windows of the
/// training points, and each new point is scored by the reconstruction error of the window ending at it, turned into a
/// likelihood against the recent errors (<see cref="AnomalyLikelihood"/>), using only the points before it. Create it
/// with <c>mlContext.AnomalyDetection.Trainers.StreamingAutoencoder(...)</c>; <see cref="Fit(IReadOnlyList{float[]})"/>
/// returns the <see cref="StreamingAnomalyModel"/> that scores the stream.
/// </summary>
/// <example>
/// <code>
/// var detector = mlContext.AnomalyDetection.Trainers.StreamingAutoencoder(new StreamingAnomalyDetectorOptions { Window = 32 });
/// using var model = detector.Fit(history);              // float[] per point, one value per channel
/// foreach (var point in live)
/// {
///     var score = model.Score(point);                    // Score in [0, 1], IsAnomaly, Channel
///     if (score.IsAnomaly) Console.WriteLine($"point {score.Index}: channel {score.Channel}");
/// }
/// model.Save("detector.zip");
/// </code>
/// The runnable version is the Samples <c>nab</c> scenario.
/// </example>
public sealed class StreamingAnomalyDetector
{
    /// <summary>The column the window autoencoder reads (and its saved model's input column).</summary>
    public const string WindowColumnName = "Window";

    internal const string CodeColumnName = "WindowCode", ResidualColumnName = "WindowSquaredResidual";

    private readonly IHostEnvironment _env;
    private readonly StreamingAnomalyDetectorOptions _options;

    /// <summary>A detector with the given options (defaults when null); training draws its seed from <paramref name="env"/> unless the network options set one.</summary>
    public StreamingAnomalyDetector(IHostEnvironment env, StreamingAnomalyDetectorOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(env);
        _env = env;
        _options = options ?? new StreamingAnomalyDetectorOptions();
        _options.Validate();
    }

    /// <summary>
    /// Trains on <paramref name="points"/> (each a float[] with one value per channel, in time order; at least
    /// <see cref="StreamingAnomalyDetectorOptions.Window"/> + 1 points) and returns the model, already fed with these
    /// points: the next point it scores is the one after them.
    /// </summary>
    public StreamingAnomalyModel Fit(IReadOnlyList<float[]> points)
    {
        _options.Validate(); // changed since construction?
        int channels = TimeSeriesPoints.Check(points, null, nameof(points));
        if (points.Count <= _options.Window)
            throw new ArgumentException($"The points hold {points.Count} points; training needs more than one window of {_options.Window}.", nameof(points));
        var kept = _options.RetrainEvery is null ? null : new List<float[]>(points.Select(p => (float[])p.Clone()));
        var network = Train(points, channels);
        return new StreamingAnomalyModel(network, _options.ScoredSteps, _options.SpatialTolerance, _options.Likelihood, _options.ThresholdRule, _options.Threshold, _options.Contamination,
            points, this, kept);
    }

    /// <summary>
    /// Trains on the rows of <paramref name="data"/> in their order, one channel per column of <paramref name="valueColumns"/>
    /// (Single or Double columns; a row with a missing value is refused).
    /// </summary>
    public StreamingAnomalyModel Fit(IDataView data, params string[] valueColumns) => Fit(ReadPoints(data, valueColumns));

    /// <summary>The points of <paramref name="data"/>'s <paramref name="valueColumns"/>, one float[] per row, in order.</summary>
    public static IReadOnlyList<float[]> ReadPoints(IDataView data, params string[] valueColumns)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (valueColumns is null || valueColumns.Length == 0) throw new ArgumentException("Name at least one value column.", nameof(valueColumns));
        var columns = valueColumns.Select(name =>
        {
            var column = data.Schema.GetColumnOrNull(name) ?? throw new ArgumentOutOfRangeException(nameof(valueColumns), $"Value column '{name}' is not in the data.");
            if (column.Type != NumberDataViewType.Single && column.Type != NumberDataViewType.Double)
                throw new ArgumentOutOfRangeException(nameof(valueColumns), $"Value column '{name}' is {column.Type}; a time series channel must be a Single or Double column.");
            return column;
        }).ToArray();
        var points = new List<float[]>();
        using var cursor = data.GetRowCursor(columns);
        var getters = columns.Select<DataViewSchema.Column, Func<float>>(c =>
        {
            if (c.Type == NumberDataViewType.Single) { var g = cursor.GetGetter<float>(c); return () => { float v = 0; g(ref v); return v; }; }
            var d = cursor.GetGetter<double>(c);
            return () => { double v = 0; d(ref v); return (float)v; };
        }).ToArray();
        while (cursor.MoveNext()) points.Add(getters.Select(g => g()).ToArray());
        return points;
    }

    /// <summary>Trains the window autoencoder on <paramref name="points"/> (the latest <see cref="StreamingAnomalyDetectorOptions.MaximumTrainingPoints"/>).</summary>
    internal TrainedWindowNetwork Train(IReadOnlyList<float[]> points, int channels)
    {
        if (_options.MaximumTrainingPoints is int most && points.Count > most) points = points.Skip(points.Count - most).ToArray();
        var scaling = ChannelStandardization.Fit(points);
        var ml = new MLContext();
        var windows = TimeSeriesPoints.Windows(ml, points, scaling, _options.Window, _options.TrainingStride, WindowColumnName);
        var network = _options.Network.Clone();
        network.ReconstructionColumnName = null;
        network.ReconstructionErrorColumnName = null;
        if (network is SequenceAutoencoderOptions sequence) sequence.Channels = channels;
        var estimator = network.CreateEstimator(_env, CodeColumnName, WindowColumnName);
        estimator.AddSquaredResidualOutput(ResidualColumnName);
        using var transformer = estimator.Fit(windows);
        using var saved = new MemoryStream();
        ml.Model.Save(transformer, windows.Schema, saved);
        return new TrainedWindowNetwork(transformer.GetOnnxModel(), saved.ToArray(), scaling, _options.Window, channels);
    }

    internal StreamingAnomalyDetectorOptions Options => _options;
}

/// <summary>A trained window autoencoder: its row graph, the ML.NET model that holds it, and the standardisation of its inputs.</summary>
internal sealed record TrainedWindowNetwork(byte[] Onnx, byte[] SavedModel, ChannelStandardization Scaling, int Window, int Channels)
{
    public WindowScorer CreateScorer() => new(Onnx, StreamingAnomalyDetector.WindowColumnName, StreamingAnomalyDetector.ResidualColumnName, Window * Channels);
}
