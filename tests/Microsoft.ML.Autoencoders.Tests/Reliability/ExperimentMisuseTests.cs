using Microsoft.ML.Autoencoders.Experiments;
using Microsoft.ML.Autoencoders.Tests.Infrastructure;

namespace Microsoft.ML.Autoencoders.Tests.Reliability;

/// <summary>
/// Misuse of the experiment surface (search spaces, tuners, budgets, checkpoints): each is refused at once with a message
/// that names the argument and what was wrong, or — where the input is legitimate — accepted and run. Before these checks
/// each case hung, grew memory without bound, decoded NaN, or failed with a NullReferenceException or an unrelated message.
/// </summary>
public sealed class ExperimentMisuseTests
{
    private static readonly ParameterSpace Space = new ParameterSpace().Int("CodeSize", 1, 4).Float("LearningRate", 1e-3, 3e-2, log: true);

    private static IEstimator<ITransformer> Pipeline(MLContext ml, TrialContext trial) =>
        ml.Transforms.AutoencoderFeaturizer("Code", "Features", new AutoencoderOptions
        {
            EncoderLayers = [8], CodeSize = trial.Parameters.Get<int>("CodeSize"), Epochs = 2, BatchSize = 32,
            LearningRate = trial.Parameters.Get<double>("LearningRate"), Seed = trial.Seed, CacheInMemory = true,
            CancellationToken = trial.CancellationToken, ReconstructionErrorColumnName = "Error",
        });

    [Fact]
    public void Successive_halving_refuses_brackets_no_budget_can_run_at_construction()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new SuccessiveHalvingTuner(Space, eta: 2, rungs: 40));
        Assert.Equal("rungs", e.ParamName);
        Assert.Contains("eta = 2", e.Message);
        // The largest allowed bracket still proposes at once.
        var tuner = new SuccessiveHalvingTuner(Space, eta: 2, rungs: 13);
        Assert.Equal(1.0 / 4096, tuner.Propose(0).Budget, 12);
    }

    [Theory]
    [InlineData(1e7)]
    [InlineData(1e12)]
    [InlineData(double.MaxValue)]
    [InlineData(double.PositiveInfinity)]
    public void A_long_time_budget_is_no_time_limit(double seconds)
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(SyntheticData.LowRank(120, 1));
        var result = ml.CreateAutoencoderExperiment()
            .SetPipeline(Space, trial => Pipeline(ml, trial))
            .SetDataset(data, data)
            .SetReconstructionObjective("Error")
            .SetTrainingTimeInSeconds(seconds)
            .SetMaxTrials(2)
            .Run();
        Assert.Equal(2, result.Trials.Count);
        Assert.All(result.Trials, t => Assert.Null(t.Error));
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(-1.0)]
    [InlineData(double.NaN)]
    public void A_time_budget_that_is_not_positive_is_refused_by_name(double seconds)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new MLContext().CreateAutoencoderExperiment().SetTrainingTimeInSeconds(seconds));
        Assert.Equal("seconds", e.ParamName);
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(0.0)]
    [InlineData(-1.0)]
    [InlineData(1.5)]
    public void Local_search_refuses_an_initial_step_outside_0_1(double step)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new LocalSearchTuner(Space, initialStep: step));
        Assert.Equal("initialStep", e.ParamName);
    }

    [Fact]
    public void Local_search_refuses_a_start_point_outside_the_cube()
    {
        Assert.Equal("start", Assert.Throws<ArgumentOutOfRangeException>(() => new LocalSearchTuner(Space, start: [0.5, double.NaN])).ParamName);
        Assert.Equal("start", Assert.Throws<ArgumentOutOfRangeException>(() => new LocalSearchTuner(Space, start: [0.5, 1.5])).ParamName);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(-1.0)]
    [InlineData(double.NaN)]
    [InlineData(1.01)]
    public void A_proposal_budget_outside_0_1_is_refused(double budget)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new TrialProposal(0, [0.5, 0.5], budget));
        Assert.Equal("Budget", e.ParamName);
    }

    [Fact]
    public void Null_arguments_are_named()
    {
        Assert.Equal("space", Assert.Throws<ArgumentNullException>(() => new LocalSearchTuner(null!)).ParamName);
        Assert.Equal("space", Assert.Throws<ArgumentNullException>(() => new RandomSearchTuner(null!)).ParamName);
        Assert.Equal("space", Assert.Throws<ArgumentNullException>(() => new SuccessiveHalvingTuner(null!)).ParamName);
        Assert.Equal("point", Assert.Throws<ArgumentNullException>(() => Space.Decode(null!)).ParamName);
        Assert.Equal("Point", Assert.Throws<ArgumentNullException>(() => new TrialProposal(0, null!)).ParamName);
    }

    [Fact]
    public void Decode_refuses_a_point_holding_NaN_or_infinity()
    {
        foreach (var bad in new[] { double.NaN, double.PositiveInfinity, double.NegativeInfinity })
        {
            var e = Assert.Throws<ArgumentException>(() => Space.Decode([0.5, bad]));
            Assert.Contains("Coordinate 1", e.Message);
            Assert.Contains("LearningRate", e.Message);
        }
    }

    [Fact]
    public void A_range_whose_width_overflows_is_refused()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new ParameterSpace().Float("x", -double.MaxValue, double.MaxValue));
        Assert.Contains("'x'", e.Message);
    }

    [Fact]
    public void A_nested_setting_may_not_share_a_name_with_any_other_in_either_order()
    {
        var nestedAfter = Assert.Throws<ArgumentException>(() => new ParameterSpace().Float("Rate", 0, 1)
            .Choice("Family", ("a", new ParameterSpace().Float("Rate", 0, 1)), ("b", null)));
        Assert.Contains("'Rate'", nestedAfter.Message);
        var nestedFirst = Assert.Throws<ArgumentException>(() => new ParameterSpace()
            .Choice("Family", ("a", new ParameterSpace().Float("Rate", 0, 1)), ("b", null)).Float("Rate", 0, 1));
        Assert.Contains("'Rate'", nestedFirst.Message);
    }

    [Fact]
    public void A_nested_space_changed_after_it_was_added_does_not_change_the_parent()
    {
        var nested = new ParameterSpace().Float("Level", 0, 1);
        var space = new ParameterSpace().Choice("Family", ("a", nested), ("b", null));
        nested.Float("Other", 0, 1);
        Assert.Equal(["Family", "Level"], space.Names);
        Assert.Equal(2, space.Dimension);
    }

    [Fact]
    public void Parameters_that_do_not_convert_name_the_parameter_and_the_value()
    {
        var parameters = new ParameterSpace().Choice("Kind", "abc").Choice("Activation", "nonsense").Decode([0.1, 0.1]);
        var asInt = Assert.Throws<InvalidCastException>(() => parameters.Get<int>("Kind"));
        Assert.Contains("'Kind'", asInt.Message);
        Assert.Contains("abc", asInt.Message);
        var asEnum = Assert.Throws<InvalidCastException>(() => parameters.Get<ActivationFunction>("Activation"));
        Assert.Contains("'Activation'", asEnum.Message);
        Assert.Contains("nonsense", asEnum.Message);
        Assert.Contains(nameof(ActivationFunction.ReLU), asEnum.Message);
    }

    private sealed class NullTuner : ITuner
    {
        public TrialProposal Propose(int trialId) => null!;
        public void Update(TrialProposal proposal, double loss) { }
    }

    [Fact]
    public void A_tuner_proposing_null_and_a_factory_returning_null_are_named()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(SyntheticData.LowRank(60, 1));
        var nullTuner = Assert.Throws<InvalidOperationException>(() => ml.CreateAutoencoderExperiment()
            .SetPipeline(Space, trial => Pipeline(ml, trial)).SetDataset(data, data).SetReconstructionObjective("Error")
            .SetMaxTrials(1).SetTuner(new NullTuner()).Run());
        Assert.Contains(nameof(NullTuner), nullTuner.Message);

        var nullPipeline = Assert.Throws<InvalidOperationException>(() => ml.CreateAutoencoderExperiment()
            .SetPipeline(Space, _ => null!).SetDataset(data, data).SetReconstructionObjective("Error").SetMaxTrials(1).Run());
        Assert.Contains("pipeline factory", nullPipeline.Message);
    }

    [Fact]
    public void Cross_validation_with_more_folds_than_rows_says_so()
    {
        var ml = new MLContext(seed: 1);
        var tiny = ml.Data.LoadFromEnumerable(SyntheticData.LowRank(3, 1));
        var e = Assert.Throws<InvalidOperationException>(() => ml.CreateAutoencoderExperiment()
            .SetPipeline(Space, trial => Pipeline(ml, trial)).SetDataset(tiny, folds: 5).SetReconstructionObjective("Error").SetMaxTrials(1).Run());
        Assert.Contains("5 folds", e.Message);
        Assert.Contains("the data has 3", e.Message);
    }

    [Fact]
    public void An_option_set_to_NaN_after_the_estimator_was_built_is_refused_by_name_at_Fit()
    {
        var ml = new MLContext(seed: 1);
        var penalty = new ContractivePenalty();
        var estimator = ml.Transforms.AutoencoderFeaturizer("Code", "Features", new AutoencoderOptions { EncoderLayers = [8], CodeSize = 2, Epochs = 1, Penalties = [penalty] });
        penalty.Weight = double.NaN;
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => estimator.Fit(ml.Data.LoadFromEnumerable(SyntheticData.LowRank(60, 1))));
        Assert.Contains("Penalties[0]", e.Message);
        Assert.Contains("Weight", e.Message);
        Assert.DoesNotContain("learning rate", e.Message);
    }

    [Theory]
    [InlineData("deleted")]
    [InlineData("truncated")]
    [InlineData("weight altered")]
    public void A_resumed_experiment_whose_best_model_file_is_unusable_retrains_that_trial(string damage)
    {
        var ml = new MLContext(seed: 1);
        var train = ml.Data.LoadFromEnumerable(SyntheticData.LowRank(200, 1));
        var validation = ml.Data.LoadFromEnumerable(SyntheticData.LowRank(100, 2));
        var folder = Directory.CreateTempSubdirectory("ae-checkpoint-").FullName;
        try
        {
            int built = 0;
            ExperimentResult Run() => ml.CreateAutoencoderExperiment()
                .SetPipeline(Space, trial => { built++; return Pipeline(ml, trial); })
                .SetDataset(train, validation).SetReconstructionObjective("Error").SetMaxTrials(3).SetCheckpoint(folder).Run();
            var first = Run();
            var expected = Columns.Vectors(first.BestModel.Transform(validation), "Code");
            var bestFile = Path.Combine(folder, "best_model.zip");
            switch (damage)
            {
                case "deleted": File.Delete(bestFile); break;
                case "truncated": File.WriteAllBytes(bestFile, File.ReadAllBytes(bestFile)[..500]); break;
                default:
                    ModelFileSafetyTests.RewriteOnnxEntry(bestFile, bytes =>
                    {
                        bytes[bytes.Length / 2] ^= 0x10; // inside the graph's weights
                        return bytes;
                    });
                    break;
            }
            built = 0;
            var second = Run();
            Assert.Equal(1, built); // the best trial only, trained again with its own seed
            Assert.Equal(first.BestTrial.TrialId, second.BestTrial.TrialId);
            var codes = Columns.Vectors(second.BestModel.Transform(validation), "Code");
            Assert.Equal(expected.Count, codes.Count);
            for (int i = 0; i < codes.Count; i++) Assert.Equal(expected[i], codes[i]); // deterministic: the same model
            using var reloaded = (IDisposable)ml.Model.LoadVerified(bestFile, out _); // saved again, intact
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void An_undefined_code_distance_is_refused_where_it_is_given()
    {
        var codes = SyntheticData.LowRank(20, 1).Select(r => r.Features).ToArray();
        var bad = (CodeDistance)99;
        Assert.Equal("distance", Assert.Throws<ArgumentOutOfRangeException>(() => CodeIndex.Create(codes, bad)).ParamName);
        Assert.Equal("distance", Assert.Throws<ArgumentOutOfRangeException>(() => ApproximateCodeIndex.Create(codes, bad)).ParamName);
        Assert.Equal("Distance", Assert.Throws<ArgumentOutOfRangeException>(() => new DocumentSearchOptions { Distance = bad }).ParamName);
    }
}
