using System.Diagnostics;
using Microsoft.ML.Autoencoders.Experiments;
using Microsoft.ML.Autoencoders.Tests.Infrastructure;
using Microsoft.ML.Data;

namespace Microsoft.ML.Autoencoders.Tests.Experiments;

public class AutoencoderExperimentTests
{
    private static readonly ParameterSpace Space = new ParameterSpace().Int("CodeSize", 1, 6).Float("LearningRate", 1e-3, 3e-2, log: true);

    private static (MLContext Ml, IDataView Train, IDataView Validation) Data()
    {
        var ml = new MLContext(seed: 1);
        return (ml, ml.Data.LoadFromEnumerable(SyntheticData.LowRank(400, 1)), ml.Data.LoadFromEnumerable(SyntheticData.LowRank(200, 2)));
    }

    private static IEstimator<ITransformer> Pipeline(MLContext ml, TrialContext trial, int epochs = 15, double? learningRate = null, Func<EpochReport, bool>? stopWhen = null) =>
        ml.Transforms.AutoencoderFeaturizer("Code", "Features", new AutoencoderOptions
        {
            EncoderLayers = [16], CodeSize = trial.Parameters.Get<int>("CodeSize"), Epochs = trial.Epochs(epochs), BatchSize = 32,
            LearningRate = learningRate ?? trial.Parameters.Get<double>("LearningRate"), Seed = trial.Seed, CacheInMemory = true,
            CancellationToken = trial.CancellationToken, ReconstructionErrorColumnName = "Error", StopWhen = stopWhen,
        });

    [Fact]
    public void StopWhen_ends_training_after_the_epoch_it_returns_true_for()
    {
        var (ml, train, _) = Data();
        using var model = ml.Transforms.AutoencoderFeaturizer("Code", "Features", new AutoencoderOptions
        {
            EncoderLayers = [16], CodeSize = 3, Epochs = 10, StopWhen = report => report.Epoch == 3,
        }).Fit(train);
        Assert.Equal(3, model.TrainingHistory.Count);
    }

    [Fact]
    public void Trial_stopping_ends_poor_trials_at_a_rung_and_keeps_full_trials_as_the_best()
    {
        var (ml, train, validation) = Data();
        ExperimentResult Run(Dictionary<int, int> epochsTrained) => ml.CreateAutoencoderExperiment()
            .SetPipeline(Space, trial => Pipeline(ml, trial, epochs: 9, stopWhen: report =>
            {
                epochsTrained[trial.TrialId] = report.Epoch;
                return trial.StopWhen!(report);
            }))
            .SetDataset(train, validation)
            .SetReconstructionObjective("Error")
            .SetMaxTrials(9)
            .SetTuner(new RandomSearchTuner(Space, 2))
            .SetTrialStopping(eta: 3)
            .Run();
        var epochs = new Dictionary<int, int>();
        var result = Run(epochs);
        var stopped = result.Trials.Where(t => t.StoppedEarly).ToArray();
        Assert.NotEmpty(stopped);
        Assert.Contains(result.Trials, t => !t.StoppedEarly);
        // Stopped trials end at a rung (epoch 1 or 3; 9 is the last), the others train all 9 epochs.
        Assert.All(stopped, t => Assert.Contains(epochs[t.TrialId], new[] { 1, 3 }));
        Assert.All(result.Trials.Where(t => !t.StoppedEarly), t => Assert.Equal(9, epochs[t.TrialId]));
        Assert.True(epochs.Values.Sum() < 9 * 9);
        Assert.False(result.BestTrial.StoppedEarly);
        Assert.All(result.Trials.Take(2), t => Assert.False(t.StoppedEarly)); // fewer than η losses at a rung: nothing to compare with yet
        // Deterministic: the same experiment stops the same trials.
        Assert.Equal(stopped.Select(t => t.TrialId), Run([]).Trials.Where(t => t.StoppedEarly).Select(t => t.TrialId));
    }

    [Fact]
    public void The_best_trial_is_the_best_recorded_one_and_its_model_scores()
    {
        var (ml, train, validation) = Data();
        var seen = new List<TrialResult>();
        var result = ml.CreateAutoencoderExperiment()
            .SetPipeline(Space, trial => Pipeline(ml, trial))
            .SetDataset(train, validation)
            .SetReconstructionObjective("Error")
            .SetMaxTrials(6)
            .SetTuner(new RandomSearchTuner(Space, 4))
            .Run(progress: new SyncProgress<TrialResult>(seen.Add));
        Assert.Equal(6, result.Trials.Count);
        Assert.Equal(result.Trials, seen);
        Assert.Equal(result.Trials.Min(t => t.Metric), result.BestTrial.Metric);
        // The 3-d data: codes of 3 or more reconstruct far better than 1 or 2.
        Assert.True(result.BestTrial.Parameters.Get<int>("CodeSize") >= 3 || result.Trials.All(t => t.Parameters.Get<int>("CodeSize") < 3));
        double rescored = result.BestModel.Transform(validation).GetColumn<float[]>("Error").Average(e => (double)e[0]);
        Assert.Equal(result.BestTrial.Metric!.Value, rescored, 4);
    }

    [Fact]
    public void With_k_folds_every_trial_is_scored_on_each_left_out_fold_and_reports_their_mean()
    {
        var (ml, data, _) = Data();
        var scored = new List<(int Rows, double Error)>();
        var result = ml.CreateAutoencoderExperiment()
            .SetPipeline(Space, trial => Pipeline(ml, trial, epochs: 5))
            .SetDataset(data, folds: 3)
            .SetObjective((model, validation) =>
            {
                var errors = model.Transform(validation).GetColumn<float[]>("Error").Select(e => (double)e[0]).ToArray();
                scored.Add((errors.Length, errors.Average()));
                return errors.Average();
            }, maximize: false)
            .SetMaxTrials(2)
            .SetTuner(new RandomSearchTuner(Space, 5))
            .Run();
        Assert.Equal(2, result.Trials.Count);
        Assert.Equal(6, scored.Count);   // 2 trials × 3 folds
        for (int t = 0; t < 2; t++)
        {
            var folds = scored.Skip(3 * t).Take(3).ToArray();
            Assert.Equal(400, folds.Sum(f => f.Rows));   // the left-out folds cover every row once
            Assert.Equal(folds.Average(f => f.Error), result.Trials[t].Metric!.Value, 9);
        }
        // The model kept is the best fold's: it scores its own fold as recorded, not worse than the mean.
        Assert.True(result.BestTrial.Metric >= scored.Skip(3 * result.BestTrial.TrialId).Take(3).Min(f => f.Error));
        Assert.Throws<ArgumentOutOfRangeException>(() => ml.CreateAutoencoderExperiment().SetDataset(data, folds: 1));
    }

    [Fact]
    public void The_time_budget_is_respected_and_cuts_a_long_trial_short()
    {
        var (ml, train, validation) = Data();
        var clock = Stopwatch.StartNew();
        var result = ml.CreateAutoencoderExperiment()
            .SetPipeline(Space, trial => Pipeline(ml, trial, epochs: trial.TrialId == 0 ? 5 : 100_000))   // trial 1 would run for hours
            .SetDataset(train, validation)
            .SetReconstructionObjective("Error")
            .SetTrainingTimeInSeconds(8)
            .Run();
        double seconds = clock.Elapsed.TotalSeconds;
        Assert.InRange(seconds, 7.0, 8.8);   // within 10 % of the budget
        Assert.Single(result.Trials);        // the cut-off trial is not a result
        Assert.Equal(0, result.BestTrial.TrialId);
    }

    [Fact]
    public void Cancellation_stops_a_running_trial_within_an_epoch()
    {
        var (ml, train, validation) = Data();
        using var cancellation = new CancellationTokenSource();
        var clock = Stopwatch.StartNew();
        var epochs = new List<double>();
        var experiment = ml.CreateAutoencoderExperiment()
            .SetPipeline(Space, trial =>
            {
                var estimator = (AutoencoderFeaturizer)Pipeline(ml, trial, epochs: 100_000);
                estimator.Options.Progress = new SyncProgress<EpochReport>(e =>
                {
                    epochs.Add(clock.Elapsed.TotalSeconds);
                    if (trial.TrialId == 1 && e.Epoch == 3) cancellation.Cancel();
                });
                return trial.TrialId == 0 ? Pipeline(ml, trial, epochs: 3) : estimator;
            })
            .SetDataset(train, validation)
            .SetReconstructionObjective("Error")
            .SetMaxTrials(10);
        var result = experiment.Run(cancellation.Token);
        double stoppedAfter = clock.Elapsed.TotalSeconds - epochs[^1];
        double epochSeconds = epochs[^1] - epochs[^2];
        Assert.True(stoppedAfter <= epochSeconds + 0.5, $"stopped {stoppedAfter:F2} s after the last epoch (an epoch takes {epochSeconds:F2} s)");
        Assert.Single(result.Trials);   // trial 0 finished; trial 1 was cancelled and is not a result
    }

    [Fact]
    public void A_restarted_experiment_resumes_from_its_checkpoint_without_training_again()
    {
        var (ml, train, validation) = Data();
        var folder = Path.Combine(Path.GetTempPath(), "experiment-" + Guid.NewGuid().ToString("N"));
        try
        {
            int built = 0;
            AutoencoderExperiment Experiment(int trials) => ml.CreateAutoencoderExperiment()
                .SetPipeline(Space, trial => { built++; return Pipeline(ml, trial, epochs: 5); })
                .SetDataset(train, validation)
                .SetReconstructionObjective("Error")
                .SetMaxTrials(trials)
                .SetTuner(new LocalSearchTuner(Space, 7))
                .SetCheckpoint(folder);
            var first = Experiment(3).Run();
            Assert.Equal(3, built);
            built = 0;
            var second = Experiment(5).Run();
            Assert.Equal(2, built);   // only the two new trials trained
            Assert.Equal([true, true, true, false, false], second.Trials.Select(t => t.Resumed));
            Assert.Equal(first.Trials.Select(t => t.Metric), second.Trials.Take(3).Select(t => t.Metric));
            Assert.True(second.BestTrial.Metric <= first.BestTrial.Metric);
            Assert.NotNull(second.BestModel.Transform(validation).GetColumn<float[]>("Code").First());
        }
        finally
        {
            if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void A_diverging_trial_is_recorded_and_the_experiment_goes_on()
    {
        var (ml, train, validation) = Data();
        var result = ml.CreateAutoencoderExperiment()
            .SetPipeline(Space, trial => Pipeline(ml, trial, epochs: 5, learningRate: trial.TrialId == 1 ? 1e12 : null))
            .SetDataset(train, validation)
            .SetReconstructionObjective("Error")
            .SetMaxTrials(3)
            .Run();
        Assert.Equal(3, result.Trials.Count);
        Assert.Null(result.Trials[1].Metric);
        Assert.Contains("diverged", result.Trials[1].Error);
        Assert.NotEqual(1, result.BestTrial.TrialId);
        Assert.NotNull(result.Trials[2].Metric);
    }
}
