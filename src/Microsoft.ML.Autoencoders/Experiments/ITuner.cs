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
public sealed record TrialProposal(int TrialId, double[] Point, double Budget = 1);
