using System.Diagnostics;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;

namespace Microsoft.ML.Autoencoders.Experiments;

/// <summary>
/// An AutoML-style experiment over any pipeline that has an autoencoder in it (or none): a tuner proposes settings from a
/// <see cref="ParameterSpace"/>, a factory builds the pipeline for them, each trial is trained on the training data and
/// scored on the validation data, within a time and/or trial budget. Shaped like ML.NET AutoML's
/// <c>AutoMLExperiment</c> (fluent <c>Set…</c> calls, then <c>Run</c>), which this package cannot depend on.
/// Create it with <c>mlContext.CreateAutoencoderExperiment()</c>.
/// </summary>
/// <example>
/// <code>
/// var space = AutoencoderSearchSpace.Default();
/// var result = mlContext.CreateAutoencoderExperiment()
///     .SetPipeline(space, trial => AutoencoderSearchSpace.CreateEstimator(mlContext, trial, "Code", "Pixels")
///         .Append(mlContext.MulticlassClassification.Trainers.LbfgsMaximumEntropy("Label", "Code")))
///     .SetDataset(train, validation)
///     .SetMulticlassAccuracyObjective("Label")
///     .SetTrainingTimeInSeconds(1200)
///     .SetTuner(new SuccessiveHalvingTuner(space))
///     .Run();
/// </code>
/// </example>
public sealed class AutoencoderExperiment
{
    private readonly MLContext _ml;
    private ParameterSpace? _space;
    private Func<TrialContext, IEstimator<ITransformer>>? _pipeline;
    private IDataView? _train, _validation;
    private IReadOnlyList<(IDataView Train, IDataView Validation)>? _folds;
    private int _foldCount;
    private Func<ITransformer, IDataView, double>? _metric;
    private bool _maximize;
    private double? _seconds;
    private int? _maxTrials;
    private ITuner? _tuner;
    private string? _checkpoint;
    private int _seed = 1;
    private TrialStopping? _stopping;

    internal AutoencoderExperiment(MLContext mlContext) => _ml = mlContext;

    /// <summary>The search space and the factory that builds a pipeline for a trial's parameters.</summary>
    public AutoencoderExperiment SetPipeline(ParameterSpace space, Func<TrialContext, IEstimator<ITransformer>> pipeline)
    {
        _space = space ?? throw new ArgumentNullException(nameof(space));
        _pipeline = pipeline ?? throw new ArgumentNullException(nameof(pipeline));
        return this;
    }

    /// <summary>
    /// Stops poor trials inside their training (asynchronous successive halving, ASHA, with epochs as the budget): at
    /// epochs <paramref name="firstRungEpochs"/> × η^k a trial whose loss (validation loss when it holds rows out,
    /// otherwise training loss) is not among the best 1/η of the losses every earlier trial had at that epoch ends its
    /// training there; it is still scored and recorded, marked <see cref="TrialResult.StoppedEarly"/>, and never counts
    /// as a full-budget best. The pipeline factory passes <see cref="TrialContext.StopWhen"/> to its training options
    /// (<see cref="AutoencoderSearchSpace.CreateEstimator"/> does, for every family but the stack, whose layers restart
    /// their epoch count).
    /// </summary>
    /// <param name="eta">Reduction factor η (at least 2): the share 1/η that goes on at each rung.</param>
    /// <param name="firstRungEpochs">The first epoch at which trials are compared.</param>
    public AutoencoderExperiment SetTrialStopping(int eta = 3, int firstRungEpochs = 1)
    {
        if (eta < 2) throw new ArgumentOutOfRangeException(nameof(eta), eta, "The reduction factor must be at least 2.");
        if (firstRungEpochs < 1) throw new ArgumentOutOfRangeException(nameof(firstRungEpochs), firstRungEpochs, "The first rung must be at epoch 1 or later.");
        _stopping = new TrialStopping(eta, firstRungEpochs);
        return this;
    }

    /// <summary>Trials train on <paramref name="train"/> and are scored on <paramref name="validation"/>.</summary>
    public AutoencoderExperiment SetDataset(IDataView train, IDataView validation)
    {
        _train = train ?? throw new ArgumentNullException(nameof(train));
        _validation = validation ?? throw new ArgumentNullException(nameof(validation));
        _folds = null;
        return this;
    }

    /// <summary>
    /// k-fold cross-validation (ML.NET's <c>CrossValidationSplit</c>, seeded by <see cref="SetSeed"/>'s seed at Run): each
    /// trial trains <paramref name="folds"/> times, each time scored on the fold left out; its metric is the mean over the
    /// folds, and its model the one of the fold that scored best.
    /// </summary>
    public AutoencoderExperiment SetDataset(IDataView data, int folds)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (folds < 2) throw new ArgumentOutOfRangeException(nameof(folds), folds, "Cross-validation needs at least 2 folds.");
        _train = data;
        _validation = null;
        _foldCount = folds;
        return this;
    }



    /// <summary>Any metric of a fitted pipeline on the validation data; <paramref name="maximize"/> says which way is better.</summary>
    public AutoencoderExperiment SetObjective(Func<ITransformer, IDataView, double> metric, bool maximize)
    {
        _metric = metric ?? throw new ArgumentNullException(nameof(metric));
        _maximize = maximize;
        return this;
    }

    /// <summary>Minimise the mean of a reconstruction-error column (<see cref="AutoencoderOptions.ReconstructionErrorColumnName"/>) on the validation data.</summary>
    public AutoencoderExperiment SetReconstructionObjective(string errorColumn) =>
        SetObjective((model, data) => model.Transform(data).GetColumn<float[]>(errorColumn).Average(e => (double)e[0]), maximize: false);

    /// <summary>Maximise the micro-accuracy of the pipeline's multiclass classifier on the validation data.</summary>
    public AutoencoderExperiment SetMulticlassAccuracyObjective(string labelColumn = "Label") =>
        SetObjective((model, data) => _ml.MulticlassClassification.Evaluate(model.Transform(data), labelColumn).MicroAccuracy, maximize: true);

    /// <summary>
    /// Stop starting trials after this many seconds; a trial still running then is cancelled. Any positive length is accepted,
    /// <see cref="double.PositiveInfinity"/> included (no time limit: with <see cref="SetMaxTrials"/>, stop after N trials).
    /// </summary>
    public AutoencoderExperiment SetTrainingTimeInSeconds(double seconds)
    {
        if (!(seconds > 0)) throw new ArgumentOutOfRangeException(nameof(seconds), seconds, "The time budget must be a positive number of seconds (+∞ for none).");
        _seconds = seconds;
        return this;
    }

    /// <summary>Stop after this many trials.</summary>
    public AutoencoderExperiment SetMaxTrials(int trials)
    {
        if (trials < 1) throw new ArgumentOutOfRangeException(nameof(trials), trials, "At least one trial.");
        _maxTrials = trials;
        return this;
    }

    /// <summary>The tuner (default: random search).</summary>
    public AutoencoderExperiment SetTuner(ITuner tuner)
    {
        _tuner = tuner ?? throw new ArgumentNullException(nameof(tuner));
        return this;
    }

    /// <summary>A folder where every finished trial and the best model are kept; a restarted experiment resumes from it.</summary>
    public AutoencoderExperiment SetCheckpoint(string folder)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        _checkpoint = folder;
        return this;
    }

    /// <summary>Seed of the trials' training (trial i trains with seed + i) and of the default tuner.</summary>
    public AutoencoderExperiment SetSeed(int seed)
    {
        _seed = seed;
        return this;
    }

    /// <summary>Runs on a thread-pool thread; see <see cref="Run"/>.</summary>
    public Task<ExperimentResult> RunAsync(CancellationToken cancellation = default, IProgress<TrialResult>? progress = null) =>
        Task.Run(() => Run(cancellation, progress), CancellationToken.None);

    /// <summary>
    /// Runs trials until the time or trial budget is spent or <paramref name="cancellation"/> is signalled, and returns the
    /// best trial so far with its model. A trial that fails (e.g. diverges) is recorded and counts as the worst value; the
    /// experiment goes on.
    /// </summary>
    public ExperimentResult Run(CancellationToken cancellation = default, IProgress<TrialResult>? progress = null)
    {
        var (space, tuner) = CheckSetup();
        var checkpoint = _checkpoint is null ? null : new ExperimentCheckpoint(_checkpoint);
        var replay = new Queue<ExperimentCheckpoint.Entry>(checkpoint?.Read() ?? []);
        using var channel = ((IHostEnvironment)_ml).Register(nameof(AutoencoderExperiment)).Start("Experiment");
        var clock = Stopwatch.StartNew();
        _stopping?.Reset();
        var search = new SearchState(IsBetter);
        for (int id = 0; _maxTrials is null || id < _maxTrials; id++)
        {
            if (cancellation.IsCancellationRequested) break;
            double remaining = _seconds is double s ? s - clock.Elapsed.TotalSeconds : double.PositiveInfinity;
            if (remaining <= 0 && replay.Count == 0) break;
            var proposal = Propose(tuner, space, id);
            var parameters = space.Decode(proposal.Point);
            var trial = replay.TryDequeue(out var done)
                ? (Replayed(done, id, proposal, parameters), null)
                : TrainAndRecord(id, proposal, parameters, remaining, checkpoint, search.Best, cancellation);
            if (trial is not { } completed) break; // the budget ran out (or cancellation came) mid-trial: not a result
            var (result, model) = completed;
            tuner.Update(proposal, result.Metric is double m && double.IsFinite(m) ? (_maximize ? -m : m) : double.PositiveInfinity);
            channel.Info(MessageSensitivity.None, $"Trial {id} ({result.Budget:P0} budget{(result.Resumed ? ", from the checkpoint" : "")}): " +
                (result.Error is null ? $"metric {result.Metric:G5}" : $"failed: {result.Error}") + $" in {result.Duration.TotalSeconds:F1} s; {parameters}.");
            progress?.Report(result);
            search.Add(result, model);
        }
        if (search.Best is not { } best)
        {
            cancellation.ThrowIfCancellationRequested();
            throw new InvalidOperationException($"No trial succeeded within the budget ({search.Trials.Count} tried" +
                (search.Trials.FirstOrDefault(t => t.Error is not null) is { } failed ? $"; trial {failed.TrialId} failed: {failed.Error}" : "") + ").");
        }
        // A best trial read from the checkpoint has no model yet: it is loaded from there (or retrained) now.
        return new ExperimentResult(best, search.BestModel ?? ResumedBestModel(checkpoint!, best, channel, cancellation), search.Trials);
    }

    /// <summary>Throws naming what is missing; otherwise the search space and the tuner (random search by default), with the folds set.</summary>
    private (ParameterSpace Space, ITuner Tuner) CheckSetup()
    {
        if (_space is null || _pipeline is null) throw new InvalidOperationException("Call SetPipeline before Run.");
        if (_train is null || _validation is null && _foldCount < 2) throw new InvalidOperationException("Call SetDataset before Run.");
        if (_metric is null) throw new InvalidOperationException("Call SetObjective (or one of its shortcuts) before Run.");
        if (_seconds is null && _maxTrials is null) throw new InvalidOperationException("Set a budget: SetTrainingTimeInSeconds and/or SetMaxTrials.");
        _folds = _validation is null ? CrossValidationFolds(_train) : [(_train, _validation)];
        return (_space, _tuner ?? new RandomSearchTuner(_space, _seed));
    }

    /// <summary>The tuner's proposal for trial <paramref name="id"/>, checked against the space.</summary>
    private static TrialProposal Propose(ITuner tuner, ParameterSpace space, int id)
    {
        var proposal = tuner.Propose(id) ?? throw new InvalidOperationException($"The tuner ({tuner.GetType().Name}) proposed null for trial {id}.");
        if (proposal.Point.Length != space.Dimension)
            throw new InvalidOperationException($"The tuner ({tuner.GetType().Name}) proposed a point of {proposal.Point.Length} coordinates for trial {id}; the search space has {space.Dimension}.");
        return proposal;
    }

    /// <summary>A trial recorded in the checkpoint, replayed: it must be what the tuner proposes again (the same search).</summary>
    private TrialResult Replayed(ExperimentCheckpoint.Entry done, int id, TrialProposal proposal, Parameters parameters)
    {
        if (!done.Point.SequenceEqual(proposal.Point) || done.Budget != proposal.Budget)
            throw new InvalidDataException($"Experiment checkpoint '{_checkpoint}' was written by another search: its trial {done.TrialId} is not what this tuner proposes now. Use an empty folder.");
        return new TrialResult(id, parameters, done.Budget, done.Metric, TimeSpan.FromSeconds(done.Seconds), done.Error, Resumed: true);
    }

    /// <summary>
    /// Trains and evaluates a trial and records it in the checkpoint; null when the budget or cancellation cut it off (not
    /// recorded). A new best model is saved before its trial is recorded: a crash in between reruns the trial, rather than
    /// leaving a recorded best whose model file is an older one.
    /// </summary>
    private (TrialResult Result, ITransformer? Model)? TrainAndRecord(int id, TrialProposal proposal, Parameters parameters, double remainingSeconds,
        ExperimentCheckpoint? checkpoint, TrialResult? best, CancellationToken cancellation)
    {
        if (RunTrial(id, parameters, proposal.Budget, remainingSeconds, cancellation) is not { } completed) return null;
        var (result, model) = completed;
        if (checkpoint is not null && model is not null && IsBetter(result, best)) checkpoint.SaveBestModel(_ml, model, _train!.Schema);
        checkpoint?.Append(new ExperimentCheckpoint.Entry(id, proposal.Point, proposal.Budget, result.Metric, result.Duration.TotalSeconds, result.Error));
        return (result, model);
    }

    /// <summary>The trials so far and the best of them with its model (the others' models are disposed as they come).</summary>
    private sealed class SearchState(Func<TrialResult, TrialResult?, bool> isBetter)
    {
        public List<TrialResult> Trials { get; } = [];
        public TrialResult? Best { get; private set; }
        public ITransformer? BestModel { get; private set; }

        public void Add(TrialResult result, ITransformer? model)
        {
            Trials.Add(result);
            if (result.Metric is not null && isBetter(result, Best))
            {
                (BestModel as IDisposable)?.Dispose();
                (Best, BestModel) = (result, model);
            }
            else (model as IDisposable)?.Dispose();
        }
    }

    /// <summary>
    /// The model of the best trial, which was read from the checkpoint: its saved <c>best_model.zip</c>, loaded with the
    /// checksum check (<see cref="ModelLoading.LoadVerified"/>); when that file is missing, altered or unreadable, the trial is
    /// trained again with its own seed (the same model) and saved anew.
    /// </summary>
    private ITransformer ResumedBestModel(ExperimentCheckpoint checkpoint, TrialResult best, IChannel channel, CancellationToken cancellation)
    {
        if (checkpoint.TryLoadBestModel(_ml, out var loaded, out var problem)) return loaded!;
        channel.Warning(MessageSensitivity.None, $"{problem}; training trial {best.TrialId} again (same parameters and seed).");
        var again = RunTrial(best.TrialId, best.Parameters, best.Budget, double.PositiveInfinity, cancellation);
        if (again is not (_, { } model))
        {
            cancellation.ThrowIfCancellationRequested();
            throw new InvalidOperationException($"{problem}, and training trial {best.TrialId} again failed: {again?.Result.Error}");
        }
        checkpoint.SaveBestModel(_ml, model, _train!.Schema);
        return model;
    }

    /// <summary>The folds of <see cref="SetDataset(IDataView, int)"/>, each checked to have rows to train on and to validate with.</summary>
    private (IDataView Train, IDataView Validation)[] CrossValidationFolds(IDataView data)
    {
        var folds = _ml.Data.CrossValidationSplit(data, _foldCount, seed: _seed).Select(f => (f.TrainSet, f.TestSet)).ToArray();
        for (int k = 0; k < folds.Length; k++)
        {
            long validationRows = CountRows(folds[k].TestSet), trainRows = CountRows(folds[k].TrainSet);
            if (validationRows == 0 || trainRows == 0)
                throw new InvalidOperationException(
                    $"Cross-validation with {_foldCount} folds left fold {k + 1} with {trainRows} training and {validationRows} validation rows " +
                    $"(the data has {trainRows + validationRows}): use fewer folds, or more rows.");
        }
        return folds;
    }

    private static long CountRows(IDataView data)
    {
        if (data.GetRowCount() is long known) return known;
        long rows = 0;
        using var cursor = data.GetRowCursor([]);
        while (cursor.MoveNext()) rows++;
        return rows;
    }

    /// <summary>Full-budget trials beat partial ones; among equals, the better metric wins.</summary>
    private bool IsBetter(TrialResult candidate, TrialResult? best)
    {
        if (best is null) return true;
        bool full = candidate.Budget >= 1 && !candidate.StoppedEarly, bestFull = best.Budget >= 1 && !best.StoppedEarly;
        if (full != bestFull) return full;
        return _maximize ? candidate.Metric > best.Metric : candidate.Metric < best.Metric;
    }

    /// <summary>
    /// Trains the trial on every fold and evaluates it: its result with the best fold's model, a failed result (the error, no
    /// model), or null when the time budget or cancellation cut it off — then it is no result at all.
    /// </summary>
    private (TrialResult Result, ITransformer? Model)? RunTrial(int id, Parameters parameters, double budget, double remainingSeconds, CancellationToken cancellation)
    {
        using var trialCancellation = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        // A timer cannot be set beyond int.MaxValue milliseconds (about 24.8 days): a longer budget never cuts a trial short.
        if (remainingSeconds < int.MaxValue / 1000.0) trialCancellation.CancelAfter(TimeSpan.FromSeconds(remainingSeconds));
        var clock = Stopwatch.StartNew();
        ITransformer? model = null;
        var stopper = _stopping?.ForTrial();
        try
        {
            double sum = 0, bestFold = double.NaN;
            foreach (var (train, validation) in _folds!)
            {
                var estimator = _pipeline!(new TrialContext(id, parameters, budget, unchecked(_seed + id), trialCancellation.Token) { StopWhen = stopper is null ? null : stopper.StopWhen })
                    ?? throw new InvalidOperationException("the pipeline factory (SetPipeline) returned null instead of an estimator");
                var foldModel = estimator.Fit(train);
                double foldMetric;
                try
                {
                    foldMetric = _metric!(foldModel, validation);
                }
                catch
                {
                    (foldModel as IDisposable)?.Dispose();
                    throw;
                }
                if (!double.IsFinite(foldMetric))
                {
                    (foldModel as IDisposable)?.Dispose();
                    throw new InvalidOperationException($"the objective is {foldMetric}");
                }
                sum += foldMetric;
                if (model is null || (_maximize ? foldMetric > bestFold : foldMetric < bestFold))
                {
                    (model as IDisposable)?.Dispose();
                    (model, bestFold) = (foldModel, foldMetric);
                }
                else (foldModel as IDisposable)?.Dispose();
            }
            return (new TrialResult(id, parameters, budget, sum / _folds!.Count, clock.Elapsed, null) { StoppedEarly = stopper?.Stopped ?? false }, model);
        }
        catch (OperationCanceledException)
        {
            (model as IDisposable)?.Dispose();
            return null;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            (model as IDisposable)?.Dispose();
            return (new TrialResult(id, parameters, budget, null, clock.Elapsed, e.Message), null);
        }
    }
}
