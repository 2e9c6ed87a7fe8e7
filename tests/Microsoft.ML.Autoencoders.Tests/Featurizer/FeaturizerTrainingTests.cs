using Microsoft.ML.Autoencoders.Tests.Infrastructure;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;

namespace Microsoft.ML.Autoencoders.Tests.Featurizer;

public class FeaturizerTrainingTests
{
    private static AutoencoderOptions Small(int epochs = 20) => new()
    {
        EncoderLayers = [32],
        CodeSize = 3,
        Epochs = epochs,
        BatchSize = 64,
        ReconstructionErrorColumnName = "Error",
        ReconstructionColumnName = "Reconstruction",
    };

    [Theory]
    [InlineData(OptimizerKind.Adam, false)]
    [InlineData(OptimizerKind.SgdMomentum, true)]
    public void Learns_low_rank_structure_far_better_than_the_mean_predictor(OptimizerKind optimizer, bool cache)
    {
        var ml = new MLContext(seed: 1);
        var rows = SyntheticData.LowRank(2000, seed: 2);
        var data = ml.Data.LoadFromEnumerable(rows);
        var options = Small();
        options.Optimizer = optimizer;
        options.CacheInMemory = cache;
        options.LearningRate = optimizer == OptimizerKind.Adam ? 1e-3 : 1e-3;
        using var model = ml.Transforms.AutoencoderFeaturizer("Code", "Features", options).Fit(data);
        var scored = model.Transform(data);

        Assert.Equal(new VectorDataViewType(NumberDataViewType.Single, 3), scored.Schema["Code"].Type);
        Assert.Equal(new VectorDataViewType(NumberDataViewType.Single, SyntheticData.Dimension), scored.Schema["Reconstruction"].Type);
        Assert.Equal(new VectorDataViewType(NumberDataViewType.Single, 1), scored.Schema["Error"].Type);
        Assert.Equal(ReconstructionLoss.MeanSquaredError, model.Loss);

        var errors = Columns.Errors(scored, "Error");
        double baseline = SyntheticData.MeanPredictorSse(rows.Select(r => r.Features).ToList());
        Assert.True(errors.Average() < 0.2 * baseline, $"autoencoder SSE {errors.Average():F4} vs mean predictor {baseline:F4}");

        // The error column is Σ (x − x̂)² of the reconstruction column.
        var reconstructions = Columns.Vectors(scored, "Reconstruction");
        for (int i = 0; i < 20; i++)
        {
            double sse = rows[i].Features.Zip(reconstructions[i], (a, b) => (double)(a - b) * (a - b)).Sum();
            Assert.Equal(sse, errors[i], 3);
        }
        Assert.Equal(options.Epochs, model.TrainingHistory.Count);
        Assert.True(model.TrainingHistory[^1].TrainLoss < model.TrainingHistory[0].TrainLoss);
    }

    [Fact]
    public void Unit_interval_data_gets_a_sigmoid_output_and_binary_cross_entropy()
    {
        var ml = new MLContext(seed: 1);
        var rows = SyntheticData.LowRank(1000, seed: 3, unitInterval: true);
        using var model = ml.Transforms.AutoencoderFeaturizer("Code", "Features", Small(10)).Fit(ml.Data.LoadFromEnumerable(rows));
        Assert.Equal(ReconstructionLoss.BinaryCrossEntropy, model.Loss);
        var reconstructions = Columns.Vectors(model.Transform(ml.Data.LoadFromEnumerable(rows)), "Reconstruction");
        Assert.All(reconstructions.SelectMany(r => r), v => Assert.InRange(v, 0f, 1f));
    }

    [Fact]
    public void Word_counts_with_multinomial_cross_entropy_reconstruct_the_word_distribution()
    {
        var ml = new MLContext(seed: 1);
        var documents = SyntheticData.TopicCounts(1500, seed: 5);
        var data = ml.Data.LoadFromEnumerable(documents.Select(d => d.Row));
        var options = Small(15);
        options.Loss = ReconstructionLoss.MultinomialCrossEntropy;
        using var model = ml.Transforms.AutoencoderFeaturizer("Code", "Features", options).Fit(data);
        Assert.Equal(ReconstructionLoss.MultinomialCrossEntropy, model.Loss);
        var scored = model.Transform(data);
        var reconstructions = Columns.Vectors(scored, "Reconstruction");
        var errors = Columns.Errors(scored, "Error");
        var distributions = documents.Select(d => SyntheticData.Distribution(d.Row.Features)).ToArray();

        // The reconstruction is a distribution over the words, and the error column compares it with x / Σx.
        Assert.All(reconstructions, r => Assert.Equal(1.0, r.Sum(), 1e-4));
        for (int i = 0; i < 20; i++)
            Assert.Equal(distributions[i].Zip(reconstructions[i], (p, q) => (double)(p - q) * (p - q)).Sum(), errors[i], 4);

        // Learning happened: the code recovers each document's topic, which the mean word distribution cannot.
        double baseline = SyntheticData.MeanPredictorSse(distributions);
        Assert.True(errors.Average() < 0.6 * baseline, $"autoencoder {errors.Average():F5} vs mean distribution {baseline:F5}");
    }

    [Fact]
    public void Same_seed_gives_identical_codes_and_another_seed_different_ones()
    {
        float[][] Codes(int? optionSeed, int contextSeed)
        {
            var ml = new MLContext(seed: contextSeed);
            var data = ml.Data.LoadFromEnumerable(SyntheticData.LowRank(500, seed: 4));
            var options = Small(3);
            options.Seed = optionSeed;
            using var model = ml.Transforms.AutoencoderFeaturizer("Code", "Features", options).Fit(data);
            return Columns.Vectors(model.Transform(data), "Code").ToArray();
        }

        Assert.Equal(Codes(7, 1), Codes(7, 2));            // explicit seed wins
        Assert.Equal(Codes(null, 5), Codes(null, 5));      // MLContext seed reproduces
        Assert.NotEqual(Codes(7, 1), Codes(8, 1));
    }

    [Fact]
    public void Asymmetric_decoder_and_every_activation_train()
    {
        var ml = new MLContext(seed: 1);
        var rows = SyntheticData.LowRank(600, seed: 5);
        var data = ml.Data.LoadFromEnumerable(rows);
        double baseline = SyntheticData.MeanPredictorSse(rows.Select(r => r.Features).ToList());
        foreach (var activation in Enum.GetValues<ActivationFunction>())
        {
            var options = Small(60);
            options.LearningRate = 3e-3;
            options.Activation = activation;
            options.EncoderLayers = [24, 12];
            options.DecoderLayers = [8];
            using var model = ml.Transforms.AutoencoderFeaturizer("Code", "Features", options).Fit(data);
            double error = Columns.Errors(model.Transform(data), "Error").Average();
            Assert.True(error < 0.5 * baseline, $"{activation}: SSE {error:F3} vs mean predictor {baseline:F3}");
        }
    }

    [Fact]
    public void Reports_progress_to_the_callback_and_to_the_MLContext_log()
    {
        var ml = new MLContext(seed: 1);
        var messages = new List<string>();
        ml.Log += (_, e) => { lock (messages) messages.Add(e.Message); };
        var epochs = new List<EpochReport>();
        var batches = 0;
        var options = Small(4);
        options.ValidationFraction = 0.2;
        options.Progress = new SyncProgress<EpochReport>(epochs.Add);
        options.BatchProgress = new SyncProgress<BatchProgress>(_ => batches++);
        using var model = ml.Transforms.AutoencoderFeaturizer("Code", "Features", options)
            .Fit(ml.Data.LoadFromEnumerable(SyntheticData.LowRank(640, seed: 6)));

        Assert.Equal([1, 2, 3, 4], epochs.Select(e => e.Epoch));
        Assert.All(epochs, e => Assert.True(e.ValidationLoss is > 0 && e.SamplesPerSecond > 0));
        Assert.Equal(epochs, model.TrainingHistory);
        Assert.InRange(batches, 4 * 6, 4 * 10); // ~512 training rows / 64 per batch, per epoch
        lock (messages) Assert.Contains(messages, m => m.Contains("Epoch 4/4") && m.Contains("validation loss"));
    }

    [Fact]
    public void Early_stopping_ends_training_and_keeps_the_best_validation_weights()
    {
        var ml = new MLContext(seed: 1);
        var options = Small(300);
        options.ValidationFraction = 0.3;
        options.EarlyStoppingPatience = 3;
        options.BatchSize = 16;
        options.LearningRate = 0.01;
        using var model = ml.Transforms.AutoencoderFeaturizer("Code", "Features", options)
            .Fit(ml.Data.LoadFromEnumerable(SyntheticData.LowRank(200, seed: 7)));
        var history = model.TrainingHistory;
        Assert.True(history.Count < 300, $"trained all {history.Count} epochs");
        var best = history.MinBy(h => h.ValidationLoss!.Value)!;
        // Stopped exactly `patience` epochs after the best one.
        Assert.Equal(best.Epoch + 3, history.Count);
    }

    [Fact]
    public void Cancellation_stops_training()
    {
        var ml = new MLContext(seed: 1);
        using var cts = new CancellationTokenSource();
        var options = Small(1000);
        options.CancellationToken = cts.Token;
        options.Progress = new SyncProgress<EpochReport>(e => { if (e.Epoch == 2) cts.Cancel(); });
        var estimator = ml.Transforms.AutoencoderFeaturizer("Code", "Features", options);
        Assert.ThrowsAny<OperationCanceledException>(() => estimator.Fit(ml.Data.LoadFromEnumerable(SyntheticData.LowRank(300, seed: 8))));
    }

    [Fact]
    public void Streams_from_a_text_file_that_is_never_loaded_whole()
    {
        var ml = new MLContext(seed: 1);
        var rows = SyntheticData.LowRank(1500, seed: 9);
        var path = Path.Combine(Path.GetTempPath(), $"ae-stream-{Guid.NewGuid():N}.tsv");
        File.WriteAllLines(path, rows.Select(r => string.Join('\t', r.Features.Select(v => v.ToString("R", System.Globalization.CultureInfo.InvariantCulture)))));
        try
        {
            var data = ml.Data.LoadFromTextFile(path, [new TextLoader.Column("Features", DataKind.Single, 0, SyntheticData.Dimension - 1)]);
            using var model = ml.Transforms.AutoencoderFeaturizer("Code", "Features", Small(10)).Fit(data);
            double error = Columns.Errors(model.Transform(data), "Error").Average();
            Assert.True(error < 0.2 * SyntheticData.MeanPredictorSse(rows.Select(r => r.Features).ToList()));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Estimator_output_schema_matches_the_fitted_transformer()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(SyntheticData.LowRank(300, seed: 10));
        var estimator = ml.Transforms.AutoencoderFeaturizer("Code", "Features", Small(1));
        var shape = estimator.GetOutputSchema(MLNetInternals.ToSchemaShape(data.Schema));
        var code = shape.Single(c => c.Name == "Code");
        Assert.Equal(SchemaShape.Column.VectorKind.Vector, code.Kind);
        Assert.Equal(NumberDataViewType.Single, code.ItemType);
        Assert.Contains(shape, c => c.Name == "Reconstruction");
        Assert.Contains(shape, c => c.Name == "Error");
        Assert.Contains(shape, c => c.Name == "Features");

        using var model = estimator.Fit(data);
        var schema = model.GetOutputSchema(data.Schema);
        Assert.Equal(3, ((VectorDataViewType)schema["Code"].Type).Size);
        Assert.True(model.IsRowToRowMapper);
    }
}
