namespace Microsoft.ML.Autoencoders.Experiments;

/// <summary>
/// Local search in the spirit of the cost-frugal FLOW² (Wu et al. 2021): from a start point (the space's declared
/// defaults — <see cref="ParameterSpace.DefaultPoint"/>, its centre where none are declared — or one you give), try a step of size s in a random direction and, if that is no better, the opposite step; move on any
/// improvement, halve s after repeated failures. Unlike implementations that then stay near their start (ML.NET issue
/// #7085), it restarts from the best point found so far or, every other time, from a random point, once s is small.
/// </summary>
public sealed class LocalSearchTuner : ITuner
{
    private readonly Random _random;
    private readonly int _dimension;
    private readonly double _initialStep;
    private readonly double _minimumStep;
    private double[] _centre;
    private double _centreLoss = double.PositiveInfinity;
    private double[]? _bestPoint;
    private double _bestLoss = double.PositiveInfinity;
    private double _step;
    private double[]? _direction;
    private bool _triedOpposite;
    private int _failures;
    private int _restarts;
    private bool _centreEvaluated;

    /// <param name="space">The space to search.</param>
    /// <param name="seed">Seed: the same seed and results give the same proposals.</param>
    /// <param name="start">Start point in [0, 1)^d (null: <see cref="ParameterSpace.DefaultPoint"/>).</param>
    /// <param name="initialStep">First step size, as a fraction of the cube's side: in (0, 1].</param>
    public LocalSearchTuner(ParameterSpace space, int seed = 1, double[]? start = null, double initialStep = 0.25)
    {
        ArgumentNullException.ThrowIfNull(space);
        if (!(initialStep > 0 && initialStep <= 1))
            throw new ArgumentOutOfRangeException(nameof(initialStep), initialStep, "The initial step must lie in (0, 1] (a fraction of the unit cube's side).");
        _dimension = space.Dimension;
        _random = new Random(seed);
        _centre = start is null ? space.DefaultPoint() : (double[])start.Clone();
        if (_centre.Length != _dimension) throw new ArgumentException($"The start point needs {_dimension} coordinates.", nameof(start));
        UnitCube.Check(_centre, nameof(start), "The start point");
        _initialStep = _step = initialStep;
        _minimumStep = initialStep / 16;
    }

    /// <inheritdoc/>
    public TrialProposal Propose(int trialId)
    {
        if (!_centreEvaluated) return new TrialProposal(trialId, (double[])_centre.Clone());
        if (_direction is null || _triedOpposite)
        {
            _direction = RandomDirection();
            _triedOpposite = false;
            return new TrialProposal(trialId, Move(_direction, _step));
        }
        _triedOpposite = true;
        return new TrialProposal(trialId, Move(_direction, -_step));
    }

    /// <inheritdoc/>
    public void Update(TrialProposal proposal, double loss)
    {
        if (double.IsNaN(loss)) loss = double.PositiveInfinity;
        if (loss < _bestLoss)
        {
            _bestLoss = loss;
            _bestPoint = proposal.Point;
        }
        if (!_centreEvaluated)
        {
            _centreEvaluated = true;
            _centreLoss = loss;
            return;
        }
        if (loss < _centreLoss)
        {
            _centre = proposal.Point;
            _centreLoss = loss;
            _direction = null;
            _failures = 0;
            return;
        }
        if (!_triedOpposite) return; // the opposite step comes next
        if (++_failures >= 2 * _dimension)
        {
            _failures = 0;
            _step /= 2;
            if (_step < _minimumStep) Restart();
        }
    }

    private void Restart()
    {
        _restarts++;
        _step = _initialStep;
        _direction = null;
        _centreEvaluated = false;
        _centre = _restarts % 2 == 1 && _bestPoint is not null
            ? Move(RandomDirection(), _initialStep, _bestPoint)
            : Enumerable.Range(0, _dimension).Select(_ => _random.NextDouble()).ToArray();
        _centreLoss = double.PositiveInfinity;
    }

    private double[] RandomDirection()
    {
        // A uniformly random direction: normalised Gaussian coordinates (Box–Muller).
        var d = Enumerable.Range(0, _dimension).Select(_ =>
            Math.Sqrt(-2 * Math.Log(1 - _random.NextDouble())) * Math.Cos(2 * Math.PI * _random.NextDouble())).ToArray();
        double norm = Math.Sqrt(d.Sum(v => v * v));
        return d.Select(v => v / Math.Max(norm, 1e-12)).ToArray();
    }

    private double[] Move(double[] direction, double step, double[]? from = null) =>
        (from ?? _centre).Select((c, i) => Math.Clamp(c + step * direction[i], 0, Math.BitDecrement(1.0))).ToArray();
}
