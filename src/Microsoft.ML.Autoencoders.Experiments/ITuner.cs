namespace Microsoft.ML.Autoencoders.Experiments;

/// <summary>
/// Proposes the next trial from the results so far (as ML.NET AutoML's ITuner: Propose, then Update with the result).
/// Tuners work in the unit cube of a <see cref="ParameterSpace"/> and always minimise a loss (an experiment that maximises
/// a metric hands them its negation); a failed trial comes back with an infinite loss.
/// </summary>
public interface ITuner
{
    /// <summary>The next trial: a point of the unit cube and the fraction of the full training budget to spend on it.</summary>
    TrialProposal Propose(int trialId);

    /// <summary>The result of a trial this tuner proposed.</summary>
    void Update(TrialProposal proposal, double loss);
}

/// <summary>A point to try and the fraction of the full budget (e.g. of the epochs) to train it with, in (0, 1].</summary>
/// <param name="TrialId">The trial it is for.</param>
/// <param name="Point">Coordinates in [0, 1)^d (finite).</param>
/// <param name="Budget">Fraction of the full budget, in (0, 1].</param>
public sealed record TrialProposal(int TrialId, double[] Point, double Budget = 1)
{
    /// <summary>The coordinates (checked: not null, each finite and in [0, 1]).</summary>
    public double[] Point { get; init; } = UnitCube.Check(Point, nameof(Point), "A proposal's point");

    /// <summary>The fraction of the full budget (checked: in (0, 1]).</summary>
    public double Budget { get; init; } = Budget > 0 && Budget <= 1 ? Budget
        : throw new ArgumentOutOfRangeException(nameof(Budget), Budget, "A proposal's budget is a fraction of the full budget, in (0, 1].");
}

/// <summary>Checks points of the unit cube that tuners search.</summary>
internal static class UnitCube
{
    /// <summary><paramref name="point"/> itself, after checking it is not null and every coordinate is finite and in [0, 1].</summary>
    public static double[] Check(double[] point, string parameter, string what)
    {
        ArgumentNullException.ThrowIfNull(point, parameter);
        for (int i = 0; i < point.Length; i++)
            if (!(point[i] >= 0 && point[i] <= 1))
                throw new ArgumentOutOfRangeException(parameter, point[i], $"{what} has coordinate {i} = {point[i]}; coordinates of the search space lie in [0, 1].");
        return point;
    }
}
