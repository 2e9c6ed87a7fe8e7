namespace Microsoft.ML.Autoencoders;

/// <summary>
/// Turns a stream of raw anomaly scores (here reconstruction errors) into how unusual the latest ones are against the
/// recent distribution of scores — the anomaly likelihood of Numenta's HTM detector (Ahmad et al. 2017), on the logarithm
/// of the error: the moving average of the last <see cref="AnomalyLikelihoodOptions.AveragingWindow"/> log errors is
/// compared with the mean μ and standard deviation σ of the last <see cref="AnomalyLikelihoodOptions.HistoryWindow"/>
/// moving averages, and after a learning period the likelihood is Φ((moving average − μ) / σ). One stream, one value at a
/// time, never looking ahead: a value's likelihood depends only on the values before it and itself.
/// </summary>
public sealed class AnomalyLikelihood
{
    private readonly AnomalyLikelihoodOptions _options;
    private readonly double[] _recent;       // ring of the last AveragingWindow log errors
    private readonly double[] _averages;     // ring of the last HistoryWindow moving averages
    private long _count;
    private double _recentSum, _sum, _sumOfSquares;

    /// <summary>A likelihood with the given options (defaults when null).</summary>
    public AnomalyLikelihood(AnomalyLikelihoodOptions? options = null)
    {
        _options = (options ?? new AnomalyLikelihoodOptions()).Clone();
        _options.Validate();
        _recent = new double[_options.AveragingWindow];
        _averages = new double[_options.HistoryWindow];
    }

    /// <summary>How many values the stream has seen.</summary>
    public long Count => _count;

    /// <summary>The settings in use (a copy of those given).</summary>
    internal AnomalyLikelihoodOptions Options => _options;

    /// <summary>
    /// Adds the next raw score (≥ 0; NaN or +∞ counts as the most anomalous value) and returns its likelihood in [0, 1]:
    /// 0.5 during the learning period, then Φ of the standardised moving average.
    /// </summary>
    public double Add(double error) => Likelihood.FromTail(AddTail(error));

    /// <summary>
    /// Adds the next raw score and returns HTM's log-scaled anomaly score in [0, 1], log(1 − L) / log(10⁻¹⁰) clamped (as
    /// <see cref="PointScore.Score"/>): it keeps apart likelihoods too close to 1 for a double to tell from each other.
    /// </summary>
    public double AddScore(double error) => Likelihood.LogScaled(AddTail(error));

    /// <summary>The same as <see cref="Add"/>, returning the upper tail probability 1 − likelihood (exact for values near 1).</summary>
    internal double AddTail(double error)
    {
        double value = Transform(error);
        int w = _recent.Length, h = _averages.Length;
        if (_count >= w) _recentSum -= _recent[(int)(_count % w)];
        _recent[(int)(_count % w)] = value;
        _recentSum += value;
        double average = _recentSum / Math.Min(_count + 1, w);
        if (_count >= h)
        {
            double old = _averages[(int)(_count % h)];
            _sum -= old;
            _sumOfSquares -= old * old;
        }
        _averages[(int)(_count % h)] = average;
        _sum += average;
        _sumOfSquares += average * average;
        _count++;
        if (_count % h == 0) Resum(); // running sums drift over long streams
        if (_count <= _options.LearningPeriod) return 0.5;
        long n = Math.Min(_count, h);
        double mean = _sum / n;
        double sigma = Math.Max(Math.Sqrt(Math.Max(_sumOfSquares / n - mean * mean, 0)), _options.MinimumDeviation);
        return Likelihood.UpperTail((average - mean) / sigma);
    }

    /// <summary>The value the distribution is estimated on: log(error + floor), or the error itself; NaN and +∞ as the largest value.</summary>
    private double Transform(double error)
    {
        if (!_options.LogErrors) return double.IsNaN(error) || double.IsPositiveInfinity(error) ? double.MaxValue / 1e10 : Math.Min(Math.Max(error, 0), double.MaxValue / 1e10);
        const double Largest = 709; // log(double.MaxValue)
        return double.IsNaN(error) || double.IsPositiveInfinity(error) ? Largest : Math.Min(Math.Log(Math.Max(error, 0) + _options.ErrorFloor), Largest);
    }

    private void Resum()
    {
        _recentSum = _recent.Sum();
        _sum = _averages.Sum();
        _sumOfSquares = _averages.Sum(a => a * a);
    }

    /// <summary>The state, for saving: both rings as they lie, the count and the running sums (so a restored stream goes on bit for bit).</summary>
    internal (double[] Recent, double[] Averages, long Count, double[] Sums) State() =>
        ((double[])_recent.Clone(), (double[])_averages.Clone(), _count, [_recentSum, _sum, _sumOfSquares]);

    /// <summary>Restores <see cref="State"/>.</summary>
    internal static AnomalyLikelihood Restore(AnomalyLikelihoodOptions options, double[] recent, double[] averages, long count, double[] sums)
    {
        var likelihood = new AnomalyLikelihood(options);
        if (recent.Length != likelihood._recent.Length || averages.Length != likelihood._averages.Length || count < 0 || sums.Length != 3 || !sums.All(double.IsFinite))
            throw new InvalidDataException($"The saved likelihood state holds {recent.Length} recent values and {averages.Length} averages; the options ask for {likelihood._recent.Length} and {likelihood._averages.Length}.");
        recent.CopyTo(likelihood._recent, 0);
        averages.CopyTo(likelihood._averages, 0);
        likelihood._count = count;
        (likelihood._recentSum, likelihood._sum, likelihood._sumOfSquares) = (sums[0], sums[1], sums[2]);
        return likelihood;
    }
}

/// <summary>Settings of <see cref="AnomalyLikelihood"/>; the defaults are HTM's (averaging 10, learning 288 values, history 8,640).</summary>
public sealed class AnomalyLikelihoodOptions
{
    /// <summary>Values averaged for the short-term mean (HTM: 10).</summary>
    public int AveragingWindow { get; set; } = 10;

    /// <summary>Values seen before any likelihood other than 0.5 is given (HTM: 288, a day of 5-minute data).</summary>
    public int LearningPeriod { get; set; } = 288;

    /// <summary>Most recent values the distribution is estimated from (HTM: 8,640, a month of 5-minute data).</summary>
    public int HistoryWindow { get; set; } = 8640;

    /// <summary>
    /// Estimate the distribution on log(error + <see cref="ErrorFloor"/>) (the default) rather than on the error itself.
    /// Reconstruction errors are skewed, spread over orders of magnitude; on the NAB tuning split (the artificial series and
    /// every other real one) log errors scored 26.1 against 24.4 for raw ones (standard profile).
    /// </summary>
    public bool LogErrors { get; set; } = true;

    /// <summary>Added to every error before its logarithm is taken (an error of 0 would otherwise be −∞).</summary>
    public double ErrorFloor { get; set; } = 1e-6;

    /// <summary>Smallest σ used (a perfectly constant stream would otherwise flag every change as infinitely unlikely).</summary>
    public double MinimumDeviation { get; set; } = 1e-3;

    internal void Validate()
    {
        if (AveragingWindow < 1) throw new ArgumentOutOfRangeException(nameof(AveragingWindow), AveragingWindow, $"Option 'AveragingWindow' must be at least 1; got {AveragingWindow}.");
        if (LearningPeriod < 0) throw new ArgumentOutOfRangeException(nameof(LearningPeriod), LearningPeriod, $"Option 'LearningPeriod' must be zero or positive; got {LearningPeriod}.");
        if (HistoryWindow < AveragingWindow || HistoryWindow < 2)
            throw new ArgumentOutOfRangeException(nameof(HistoryWindow), HistoryWindow, $"Option 'HistoryWindow' must be at least 2 and at least AveragingWindow ({AveragingWindow}); got {HistoryWindow}.");
        if (!(ErrorFloor > 0) || !double.IsFinite(ErrorFloor)) throw new ArgumentOutOfRangeException(nameof(ErrorFloor), ErrorFloor, $"Option 'ErrorFloor' must be a positive number; got {ErrorFloor}.");
        if (!(MinimumDeviation > 0) || !double.IsFinite(MinimumDeviation)) throw new ArgumentOutOfRangeException(nameof(MinimumDeviation), MinimumDeviation, $"Option 'MinimumDeviation' must be a positive number; got {MinimumDeviation}.");
    }

    internal AnomalyLikelihoodOptions Clone() => (AnomalyLikelihoodOptions)MemberwiseClone();
}
