namespace Microsoft.ML.Autoencoders.Experiments;

/// <summary>What a pipeline factory gets for one trial: the parameters to build with, the share of the training budget, a seed and a cancellation token.</summary>
/// <param name="TrialId">0-based trial number.</param>
/// <param name="Parameters">The settings to try.</param>
/// <param name="Budget">Fraction (0, 1] of the full training budget: multi-fidelity tuners try most settings on a few epochs first.</param>
/// <param name="Seed">Training seed of this trial (the experiment's seed plus the trial number): a rerun reproduces it.</param>
/// <param name="CancellationToken">Signalled when the experiment is cancelled or its time budget runs out: pass it to the training options.</param>
public sealed record TrialContext(int TrialId, Parameters Parameters, double Budget, int Seed, CancellationToken CancellationToken)
{
    /// <summary>
    /// Pass to the training options' <see cref="AutoencoderTrainingOptions.StopWhen"/>: the experiment's early stopping of
    /// poor trials (<see cref="AutoencoderExperiment.SetTrialStopping"/>); null when it is off.
    /// </summary>
    public Func<EpochReport, bool>? StopWhen { get; init; }

    /// <summary><paramref name="fullEpochs"/> scaled by <see cref="Budget"/>, at least 1.</summary>
    public int Epochs(int fullEpochs) => Math.Max(1, (int)Math.Round(Budget * fullEpochs));
}

/// <summary>One trial of an experiment: what was tried, the metric it reached (or the error that stopped it) and how long it took.</summary>
/// <param name="TrialId">0-based trial number.</param>
/// <param name="Parameters">The settings tried.</param>
/// <param name="Budget">Fraction of the full training budget it trained with.</param>
/// <param name="Metric">The objective's value on the validation data; null when the trial failed.</param>
/// <param name="Duration">Training and evaluation time.</param>
/// <param name="Error">Why the trial failed (e.g. training diverged), or null.</param>
/// <param name="Resumed">True when the result was read from the checkpoint instead of being run again.</param>
public sealed record TrialResult(int TrialId, Parameters Parameters, double Budget, double? Metric, TimeSpan Duration, string? Error, bool Resumed = false)
{
    /// <summary>True when <see cref="AutoencoderExperiment.SetTrialStopping"/> ended its training before its last epoch.</summary>
    public bool StoppedEarly { get; init; }
}

/// <summary>What an experiment found: its best full-budget trial with the fitted model, and every trial.</summary>
/// <param name="BestTrial">The trial with the best metric among those trained on the full budget (any budget when none was).</param>
/// <param name="BestModel">That trial's fitted pipeline.</param>
/// <param name="Trials">Every trial, in order.</param>
public sealed record ExperimentResult(TrialResult BestTrial, ITransformer BestModel, IReadOnlyList<TrialResult> Trials);
