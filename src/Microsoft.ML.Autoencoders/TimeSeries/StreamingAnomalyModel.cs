using System.IO.Compression;
using System.Text.Json;
using Microsoft.ML.Autoencoders.Files;
using Microsoft.ML.Autoencoders.Lifetime;
using Microsoft.ML.Autoencoders.Onnx;
using Microsoft.ML.Autoencoders.TimeSeries;

namespace Microsoft.ML.Autoencoders;

/// <summary>
/// A trained streaming detector (from <see cref="StreamingAnomalyDetector.Fit(IReadOnlyList{float[]})"/> or
/// <see cref="Load"/>): feed it the points of a stream one at a time with <see cref="Score"/>. A point's score depends on
/// that point and the points before it only, so appending points never changes an earlier score. Safe to dispose while
/// another thread scores (that call finishes, later ones throw <see cref="ObjectDisposedException"/>); calls to
/// <see cref="Score"/> from several threads take turns, as one stream's points come in order.
/// </summary>
public sealed class StreamingAnomalyModel : IDisposable
{
    private const string NetworkEntry = "autoencoder.zip", StateEntry = "detector.json";

    private readonly DisposalGuard _guard = new(nameof(StreamingAnomalyModel));
    private readonly object _stream = new();
    private readonly AnomalyLikelihood _likelihood;
    private readonly StreamingAnomalyDetector? _detector;   // retrains (null after Load)
    private readonly List<float[]>? _kept;                  // the points retraining learns from
    private readonly float[] _raw;                          // the last Window points, [time, channel]
    private readonly int _scoredValues;                     // the newest values of the window whose residuals make the error
    private readonly SeenRange _range;                      // each channel's values so far (HTM's spatial rule)
    private TrainedWindowNetwork _network;
    private WindowScorer _scorer;
    private long _count, _sinceTraining;

    internal StreamingAnomalyModel(TrainedWindowNetwork network, int? scoredSteps, double? spatialTolerance, AnomalyLikelihoodOptions likelihood, AnomalyThresholdRule rule, double threshold,
        double contamination, IReadOnlyList<float[]> trainingPoints, StreamingAnomalyDetector? detector, List<float[]>? kept)
    {
        _network = network;
        ScoredSteps = scoredSteps ?? network.Window;
        _scoredValues = ScoredSteps * network.Channels;
        _range = new SeenRange(network.Channels, spatialTolerance);
        _scorer = network.CreateScorer();
        _likelihood = new AnomalyLikelihood(likelihood);
        _detector = detector;
        _kept = kept;
        _raw = new float[network.Window * network.Channels];
        ThresholdRule = rule;
        // Replay the training points: the likelihood learns their errors, and the data-driven rules read their scores.
        var scores = new List<double>();
        foreach (var point in trainingPoints)
        {
            var s = Step(point);
            if (_likelihood.Count > likelihood.LearningPeriod) scores.Add(s.Score);
        }
        scores.Sort();
        Threshold = rule switch
        {
            AnomalyThresholdRule.Fixed => threshold,
            AnomalyThresholdRule.Contamination => scores.Count == 0 ? 1 : scores[(int)Math.Min(scores.Count - 1, Math.Floor((1 - contamination) * scores.Count))],
            _ => scores.Count == 0 ? 1 : scores[^1],
        };
    }

    private StreamingAnomalyModel(TrainedWindowNetwork network, int scoredSteps, SeenRange range, AnomalyLikelihood likelihood, AnomalyThresholdRule rule, double threshold, long count, float[] raw)
    {
        _network = network;
        ScoredSteps = scoredSteps;
        _scoredValues = scoredSteps * network.Channels;
        _range = range;
        _scorer = network.CreateScorer();
        _likelihood = likelihood;
        _raw = raw;
        _count = count;
        ThresholdRule = rule;
        Threshold = threshold;
        Restandardise();
    }

    /// <summary>Points per window.</summary>
    public int Window => _network.Window;

    /// <summary>Values per point.</summary>
    public int Channels => _network.Channels;

    /// <summary>Points seen (training points included).</summary>
    public long PointsSeen { get { lock (_stream) return _count; } }

    /// <summary>The newest time steps of each window whose reconstruction error scores its last point.</summary>
    public int ScoredSteps { get; }

    /// <summary>The rule that set <see cref="Threshold"/>.</summary>
    public AnomalyThresholdRule ThresholdRule { get; }

    /// <summary>The score a point must exceed (reach, for <see cref="AnomalyThresholdRule.Fixed"/>) to be anomalous.</summary>
    public double Threshold { get; }

    /// <summary>How many times the autoencoder was retrained since <c>Fit</c>.</summary>
    public int Retrainings { get; private set; }

    /// <summary>
    /// Scores the next point of the stream (one value per channel) and, when the retraining period is complete, retrains
    /// on the points seen so far before returning. Throws <see cref="ArgumentException"/> for a point of the wrong length
    /// or holding NaN or ±∞ (the stream is left as it was).
    /// </summary>
    public PointScore Score(ReadOnlySpan<float> point)
    {
        using var _ = _guard.Enter();
        lock (_stream)
        {
            TimeSeriesPoints.CheckPoint(point, Channels, _count);
            var score = Step(point);
            if (_kept is not null && _detector?.Options.RetrainEvery is int every)
            {
                _kept.Add(point.ToArray());
                if (++_sinceTraining >= every) Retrain();
            }
            return score;
        }
    }

    /// <summary>Scores every point of <paramref name="points"/> in order.</summary>
    public PointScore[] ScoreAll(IReadOnlyList<float[]> points)
    {
        ArgumentNullException.ThrowIfNull(points);
        var scores = new PointScore[points.Count];
        for (int i = 0; i < scores.Length; i++) scores[i] = Score(points[i]);
        return scores;
    }

    /// <summary>
    /// Why the last point scored as it did: the squared reconstruction error of each value of the window ending at it
    /// (time step × channel), from which the channel and the time steps that made it anomalous can be read.
    /// </summary>
    public WindowExplanation ExplainLast()
    {
        using var _ = _guard.Enter();
        lock (_stream)
        {
            if (_count < Window) throw new InvalidOperationException($"No window has been scored yet: the first needs {Window} points, {_count} were seen.");
            return new WindowExplanation(Window, Channels, (float[])_scorer.Residuals.Clone());
        }
    }

    private PointScore Step(ReadOnlySpan<float> point)
    {
        int channels = Channels, size = _raw.Length;
        long index = _count++;
        int outside = _range.Observe(point);
        Array.Copy(_raw, channels, _raw, 0, size - channels);
        point.CopyTo(_raw.AsSpan(size - channels));
        var input = _scorer.Input;
        Array.Copy(input, channels, input, 0, size - channels);
        _network.Scaling.Apply(point, input.AsSpan(size - channels));
        if (_count < Window) return new PointScore(index, 0, 0.5, double.NaN, false, -1);
        _scorer.Run();
        double error = 0;
        var residuals = _scorer.Residuals;
        for (int i = residuals.Length - _scoredValues; i < residuals.Length; i++) error += residuals[i];
        double tail = _likelihood.AddTail(error);
        double score = outside >= 0 ? 1 : Likelihood.LogScaled(tail);
        bool anomalous = ThresholdRule == AnomalyThresholdRule.Fixed ? score >= Threshold : score > Threshold;
        return new PointScore(index, score, Likelihood.FromTail(tail), error, anomalous, outside >= 0 ? outside : WorstChannel(residuals, channels));
    }

    private static int WorstChannel(float[] residuals, int channels)
    {
        if (channels == 1) return 0;
        int worst = 0;
        double worstSum = -1;
        for (int c = 0; c < channels; c++)
        {
            double sum = 0;
            for (int i = c; i < residuals.Length; i += channels) sum += residuals[i];
            if (sum > worstSum) (worst, worstSum) = (c, sum);
        }
        return worst;
    }

    private void Retrain()
    {
        _sinceTraining = 0;
        var network = _detector!.Train(_kept!, Channels);
        var scorer = network.CreateScorer();
        _scorer.Dispose();
        (_network, _scorer) = (network, scorer);
        Restandardise();
        Retrainings++;
    }

    /// <summary>The scorer's window from the raw points, under the current standardisation.</summary>
    private void Restandardise()
    {
        int channels = Channels;
        for (int t = 0; t < Window; t++)
            _network.Scaling.Apply(_raw.AsSpan(t * channels, channels), _scorer.Input.AsSpan(t * channels, channels));
    }

    /// <summary>
    /// Saves the detector and where its stream stands to one file: the window autoencoder as an ML.NET model
    /// (<c>autoencoder.zip</c> inside, loadable with stock <c>mlContext.Model.Load</c>, input column
    /// <see cref="StreamingAnomalyDetector.WindowColumnName"/>) and the standardisation, likelihood state, threshold and last
    /// window (<c>detector.json</c>). Written through a temporary file, so an existing file is only replaced by a complete one.
    /// A loaded detector scores the stream on from the same point; it does not retrain (its network options are not saved).
    /// </summary>
    public void Save(string path)
    {
        using var _ = _guard.Enter();
        DetectorState state;
        byte[] network;
        lock (_stream)
        {
            var (recent, averages, count, sums) = _likelihood.State();
            var (minimum, maximum) = _range.State();
            state = new DetectorState(1, Window, Channels, ScoredSteps, _range.Tolerance, minimum, maximum, _network.Scaling.Mean, _network.Scaling.Deviation, ThresholdRule.ToString(), Threshold, _count,
                [.. _raw], _likelihood.Options.AveragingWindow, _likelihood.Options.LearningPeriod, _likelihood.Options.HistoryWindow,
                _likelihood.Options.ErrorFloor, _likelihood.Options.MinimumDeviation, _likelihood.Options.LogErrors, recent, averages, count, sums);
            network = _network.SavedModel;
        }
        AtomicFile.Write(path, "the streaming anomaly detector", stream =>
        {
            using var zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true);
            using (var entry = zip.CreateEntry(NetworkEntry).Open()) entry.Write(network);
            using (var entry = zip.CreateEntry(StateEntry).Open()) JsonSerializer.Serialize(entry, state);
        });
    }

    /// <summary>
    /// Loads a detector written by <see cref="Save"/>. A missing, truncated or altered file gives an exception that names
    /// it: <see cref="FileNotFoundException"/> or <see cref="InvalidDataException"/>.
    /// </summary>
    public static StreamingAnomalyModel Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path)) throw new FileNotFoundException($"Streaming detector file '{path}' does not exist.", path);
        try
        {
            using var zip = ZipFile.OpenRead(path);
            byte[] network = ReadEntry(zip, NetworkEntry, path);
            var state = JsonSerializer.Deserialize<DetectorState>(ReadEntry(zip, StateEntry, path))
                ?? throw new InvalidDataException($"Streaming detector file '{path}': {StateEntry} is empty.");
            return FromState(path, network, state);
        }
        catch (Exception e) when (e is JsonException or InvalidDataException or ArgumentException or IOException and not FileNotFoundException)
        {
            throw e is InvalidDataException && e.Message.Contains(path) ? e : new InvalidDataException($"Streaming detector file '{path}' is truncated or corrupt: {e.Message}", e);
        }
    }

    private static StreamingAnomalyModel FromState(string path, byte[] network, DetectorState s)
    {
        if (s.Version != 1) throw new InvalidDataException($"Streaming detector file '{path}' has format version {s.Version}; this package reads version 1.");
        if (s.Window < 2 || s.Channels < 1 || s.Mean.Length != s.Channels || s.Deviation.Length != s.Channels || s.LastWindow.Length != s.Window * s.Channels
            || s.ScoredSteps < 1 || s.ScoredSteps > s.Window || s.Minimum.Length != s.Channels || s.Maximum.Length != s.Channels
            || !Enum.TryParse<AnomalyThresholdRule>(s.ThresholdRule, out var rule) || s.Deviation.Any(d => !(d > 0)))
            throw new InvalidDataException($"Streaming detector file '{path}': {StateEntry} does not describe a consistent detector.");
        using var zip = new ZipArchive(new MemoryStream(network), ZipArchiveMode.Read);
        var graphs = MLNetModelZip.OnnxEntries(zip).ToArray();
        if (graphs is not [var graph] || graph.Onnx is null)
            throw new InvalidDataException($"Streaming detector file '{path}': {NetworkEntry} does not hold exactly one complete ONNX graph.");
        if (OnnxGraphChecksum.Problem(graph.Onnx) is string problem)
            throw new InvalidDataException($"Streaming detector file '{path}': {NetworkEntry}: {problem}.");
        var options = new AnomalyLikelihoodOptions
        {
            AveragingWindow = s.AveragingWindow, LearningPeriod = s.LearningPeriod, HistoryWindow = s.HistoryWindow,
            ErrorFloor = s.ErrorFloor, MinimumDeviation = s.MinimumDeviation, LogErrors = s.LogErrors,
        };
        var likelihood = AnomalyLikelihood.Restore(options, s.Recent, s.Averages, s.LikelihoodCount, s.LikelihoodSums);
        var trained = new TrainedWindowNetwork(graph.Onnx, network, new ChannelStandardization(s.Mean, s.Deviation), s.Window, s.Channels);
        return new StreamingAnomalyModel(trained, s.ScoredSteps, SeenRange.Restore(s.SpatialTolerance, s.Minimum, s.Maximum), likelihood, rule, s.Threshold, s.PointsSeen, s.LastWindow);
    }

    private static byte[] ReadEntry(ZipArchive zip, string name, string path)
    {
        var entry = zip.GetEntry(name) ?? throw new InvalidDataException($"Streaming detector file '{path}' has no '{name}' entry.");
        using var content = new MemoryStream();
        using (var stream = entry.Open()) stream.CopyTo(content);
        return content.ToArray();
    }

    /// <summary>Releases the ONNX Runtime session once the calls in flight have ended; later calls throw <see cref="ObjectDisposedException"/>.</summary>
    public void Dispose()
    {
        if (_guard.BeginDispose()) _scorer.Dispose();
    }

    private sealed record DetectorState(int Version, int Window, int Channels, int ScoredSteps, double? SpatialTolerance, double[] Minimum, double[] Maximum, double[] Mean, double[] Deviation, string ThresholdRule, double Threshold,
        long PointsSeen, float[] LastWindow, int AveragingWindow, int LearningPeriod, int HistoryWindow, double ErrorFloor, double MinimumDeviation,
        bool LogErrors, double[] Recent, double[] Averages, long LikelihoodCount, double[] LikelihoodSums);
}

/// <summary>The squared reconstruction error of each value of one window, [time step, channel] (time step 0 the oldest).</summary>
public sealed record WindowExplanation(int Window, int Channels, float[] SquaredResiduals)
{
    /// <summary>(x − x̂)² of channel <paramref name="channel"/> at time step <paramref name="step"/> (0 = oldest).</summary>
    public float Residual(int step, int channel) => SquaredResiduals[step * Channels + channel];

    /// <summary>Each channel's share of the window's error (they sum to 1 unless the error is 0).</summary>
    public double[] ChannelShares()
    {
        var sums = new double[Channels];
        for (int i = 0; i < SquaredResiduals.Length; i++) sums[i % Channels] += SquaredResiduals[i];
        double total = sums.Sum();
        return total > 0 ? sums.Select(s => s / total).ToArray() : sums;
    }

    /// <summary>The time steps of <paramref name="channel"/> ordered from the worst reconstructed.</summary>
    public int[] WorstSteps(int channel) => Enumerable.Range(0, Window).OrderByDescending(t => Residual(t, channel)).ToArray();
}
