namespace Microsoft.ML.Autoencoders.Experiments;

/// <summary>
/// Multi-fidelity search (successive halving, run as Hyperband-style brackets): a bracket tries many random points on a
/// small budget (a fraction of the epochs), keeps the best 1/η of them for η times the budget, and so on up to the full
/// budget; then a new bracket starts with new points. Poor settings are dropped after a few cheap epochs instead of a
/// full training. The first bracket's first point is the space's declared defaults (<see cref="ParameterSpace.DefaultPoint"/>),
/// so known-good settings compete from the start.
/// </summary>
public sealed class SuccessiveHalvingTuner : ITuner
{
    private readonly Random _random;
    private readonly int _dimension;
    private readonly int _eta;
    private readonly int _rungs;
    private double[]? _defaultPoint;
    private readonly Queue<(double[] Point, int Rung)> _pending = new();
    private readonly List<(double[] Point, double Loss)> _rungResults = [];
    private int _rung;
    private int _rungSize;

    /// <param name="space">The space to search.</param>
    /// <param name="seed">Seed: the same seed and results give the same proposals.</param>
    /// <param name="eta">Reduction factor η: each rung keeps the best 1/η of its points for η times the budget.</param>
    /// <param name="rungs">Budget levels: the first gets 1/η^(rungs − 1) of the full budget, the last the full budget.</param>
    public SuccessiveHalvingTuner(ParameterSpace space, int seed = 1, int eta = 3, int rungs = 3)
    {
        ArgumentNullException.ThrowIfNull(space);
        if (eta < 2) throw new ArgumentOutOfRangeException(nameof(eta), eta, "The reduction factor must be at least 2.");
        if (rungs < 1) throw new ArgumentOutOfRangeException(nameof(rungs), rungs, "There must be at least one budget level.");
        if (Math.Pow(eta, rungs - 1) > MaxBracketSize)
            throw new ArgumentOutOfRangeException(nameof(rungs), rungs,
                $"eta = {eta} and rungs = {rungs} make brackets of eta^(rungs − 1) = {Math.Pow(eta, rungs - 1):G3} trials, whose first rung gets " +
                $"1/{Math.Pow(eta, rungs - 1):G3} of the budget; no experiment can run that. Keep eta^(rungs − 1) at most {MaxBracketSize:N0} " +
                "(e.g. eta = 3, rungs = 3 or 4).");
        _dimension = space.Dimension;
        _random = new Random(seed);
        _eta = eta;
        _rungs = rungs;
        _defaultPoint = space.DefaultPoint();
    }

    /// <summary>The most trials one bracket may start with (η^(rungs − 1)); its first rung then trains on 1/4,096 of the budget.</summary>
    public const int MaxBracketSize = 4096;

    private double BudgetOf(int rung) => Math.Pow(_eta, rung - (_rungs - 1));

    /// <inheritdoc/>
    public TrialProposal Propose(int trialId)
    {
        if (_pending.Count == 0 && _rungResults.Count == 0) StartBracket();
        if (_pending.Count == 0)
            throw new InvalidOperationException("Successive halving waits for the results of the trials it proposed before proposing more.");
        var (point, rung) = _pending.Dequeue();
        return new TrialProposal(trialId, point, BudgetOf(rung));
    }

    /// <inheritdoc/>
    public void Update(TrialProposal proposal, double loss)
    {
        _rungResults.Add((proposal.Point, double.IsNaN(loss) ? double.PositiveInfinity : loss));
        if (_rungResults.Count < _rungSize) return;
        // The rung is complete: promote its best points, or end the bracket.
        var ranked = _rungResults.OrderBy(r => r.Loss).ToList();
        _rungResults.Clear();
        if (++_rung >= _rungs) return;
        _rungSize = Math.Max(1, ranked.Count / _eta);
        foreach (var r in ranked.Take(_rungSize)) _pending.Enqueue((r.Point, _rung));
    }

    private void StartBracket()
    {
        _rung = 0;
        _rungSize = (int)Math.Pow(_eta, _rungs - 1);
        for (int i = 0; i < _rungSize; i++)
        {
            var point = Enumerable.Range(0, _dimension).Select(_ => _random.NextDouble()).ToArray(); // drawn even when replaced: the same seed keeps its points
            _pending.Enqueue((i == 0 && _defaultPoint is not null ? _defaultPoint : point, 0));
        }
        _defaultPoint = null;
    }
}
