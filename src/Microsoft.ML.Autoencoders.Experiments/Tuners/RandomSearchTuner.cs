namespace Microsoft.ML.Autoencoders.Experiments;

/// <summary>Uniform random points of the search space, each at the full budget: the baseline every other tuner must beat.</summary>
public sealed class RandomSearchTuner : ITuner
{
    private readonly Random _random;
    private readonly int _dimension;

    /// <param name="space">The space to search.</param>
    /// <param name="seed">Seed: the same seed proposes the same points.</param>
    public RandomSearchTuner(ParameterSpace space, int seed = 1)
    {
        ArgumentNullException.ThrowIfNull(space);
        _dimension = space.Dimension;
        _random = new Random(seed);
    }

    /// <inheritdoc/>
    public TrialProposal Propose(int trialId) => new(trialId, Enumerable.Range(0, _dimension).Select(_ => _random.NextDouble()).ToArray());

    /// <inheritdoc/>
    public void Update(TrialProposal proposal, double loss) { }
}
