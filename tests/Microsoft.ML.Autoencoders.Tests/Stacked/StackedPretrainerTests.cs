using Microsoft.ML.Autoencoders.Datasets;
using Microsoft.ML.Autoencoders.Tests.Infrastructure;
using static Microsoft.ML.Autoencoders.Tests.Infrastructure.FewLabelDigits;
using Microsoft.ML.Data;

namespace Microsoft.ML.Autoencoders.Tests.Stacked;

public sealed class StackedPretrainerTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("ae-stacked-");

    public void Dispose() => _dir.Delete(recursive: true);

    private static StackedPretrainerOptions Small(StackedFineTuning fineTuning = StackedFineTuning.Supervised) => new()
    {
        EncoderLayers = [128], CodeSize = 64,
        PretrainingEpochs = 2,
        BatchSize = 64,
        FineTuning = fineTuning,
        FineTuningEpochs = 15,
        FineTuningLearningRate = 1e-3,
        FineTuningBatchSize = 32,
        CacheInMemory = true,
        Seed = 3,
    };

    /// <summary>Saves <paramref name="model"/> to a zip and loads it in a fresh MLContext.</summary>
    private ITransformer SaveAndLoad(MLContext ml, ITransformer model, DataViewSchema schema)
    {
        var path = Path.Combine(_dir.FullName, $"model-{Guid.NewGuid():N}.zip");
        ml.Model.Save(model, schema, path);
        return new MLContext().Model.Load(path, out _);
    }

    [Fact]
    public void A_stack_names_its_epochs_for_what_they_count_and_has_no_decoder_layers()
    {
        // Epochs and DecoderLayers are hidden (compile errors) on the stack's options; set through the base type, the
        // decoder is still refused, and a bad epoch count is reported by the stack's own name.
        foreach (var name in new[] { "Epochs", "DecoderLayers" })
        {
            var hidden = typeof(StackedPretrainerOptions).GetProperties().Single(p => p.Name == name && p.DeclaringType == typeof(StackedPretrainerOptions));
            Assert.True(Assert.Single(hidden.GetCustomAttributes(typeof(ObsoleteAttribute), false).Cast<ObsoleteAttribute>()).IsError);
        }
        var ml = new MLContext(seed: 1);
        AutoencoderOptions viaBase = new StackedPretrainerOptions { FineTuning = StackedFineTuning.None };
        viaBase.DecoderLayers = [4];
        Assert.Contains("DecoderLayers", Assert.Throws<ArgumentOutOfRangeException>(() => ml.Transforms.StackedPretrainer("Code", "Pixels", (StackedPretrainerOptions)viaBase)).Message);
        var zero = new StackedPretrainerOptions { PretrainingEpochs = 0, FineTuning = StackedFineTuning.None };
        Assert.Contains("PretrainingEpochs", Assert.Throws<ArgumentOutOfRangeException>(() => ml.Transforms.StackedPretrainer("Code", "Pixels", zero)).Message);
        Assert.Equal(StackedPretrainer.Defaults.PretrainingEpochs, new StackedPretrainerOptions().PretrainingEpochs);
    }

    [Fact]
    public void Semi_supervised_fit_gives_Score_and_PredictedLabel_that_Evaluate_accepts_and_that_survive_save_and_load()
    {
        var ml = new MLContext(seed: 1);
        var train = Semi(ml, labelled: 500);
        using var model = ml.Transforms.StackedPretrainer("Features", "Pixels", Small()).Fit(train);

        Assert.Equal(10, model.ClassCount);
        Assert.Equal(2, model.PretrainedStack!.LayerHistories.Count);
        var scored = model.Transform(TestView(ml));
        Assert.Equal(new VectorDataViewType(NumberDataViewType.Single, 64), scored.Schema["Features"].Type);
        var metrics = ml.MulticlassClassification.Evaluate(scored);
        Assert.True(metrics.MicroAccuracy > 0.75, $"accuracy {metrics.MicroAccuracy:P1} with 500 labels (chance: 10%)");

        var loaded = SaveAndLoad(ml, model, train.Schema);
        var before = scored.GetColumn<uint>("PredictedLabel").ToArray();
        var after = loaded.Transform(TestView(ml)).GetColumn<uint>("PredictedLabel").ToArray();
        Assert.Equal(before, after);
        var scoresBefore = Columns.Vectors(scored, "Score");
        var scoresAfter = Columns.Vectors(loaded.Transform(TestView(ml)), "Score");
        Assert.All(scoresBefore.Zip(scoresAfter), p => Assert.Equal(p.First, p.Second));
    }

    [Fact]
    public void Pretraining_on_unlabelled_rows_beats_random_initialisation_with_few_labels()
    {
        var ml = new MLContext(seed: 1);
        // 10k unlabelled images, the first 200 labelled.
        var images = Mnist.ReadImages(TestData.MnistDirectory, MnistSplit.Train, 10000);
        var train = ml.Data.LoadFromEnumerable(images.Select((m, i) => new Row { Pixels = m.Pixels, Label = i < 200 ? m.Digit : float.NaN }).ToArray());
        StackedPretrainerOptions Options() => new()
        {
            EncoderLayers = [512], CodeSize = 256, PretrainingEpochs = 5, BatchSize = 64, CacheInMemory = true, Seed = 3,
            FineTuningEpochs = 100, FineTuningBatchSize = 32, FineTuningDropout = 0.2,
        };
        using var pretrained = ml.Transforms.StackedPretrainer("Features", "Pixels", Options()).Fit(train);
        var randomOptions = Options();
        randomOptions.Pretrain = false;
        using var random = ml.Transforms.StackedPretrainer("Features", "Pixels", randomOptions).Fit(train);
        Assert.Null(random.PretrainedStack);

        double pretrainedAccuracy = ml.MulticlassClassification.Evaluate(pretrained.Transform(TestView(ml))).MicroAccuracy;
        double randomAccuracy = ml.MulticlassClassification.Evaluate(random.Transform(TestView(ml))).MicroAccuracy;
        Assert.True(pretrainedAccuracy > randomAccuracy + 0.01, $"pretrained {pretrainedAccuracy:P1} vs random init {randomAccuracy:P1}");
    }

    [Fact]
    public void Unsupervised_fine_tuning_lowers_the_reconstruction_loss_and_a_pretrained_stack_can_be_reused()
    {
        var ml = new MLContext(seed: 1);
        var train = Semi(ml, labelled: 0);
        var options = Small(StackedFineTuning.Unsupervised);
        options.FineTuningEpochs = 4;
        using var model = ml.Transforms.StackedPretrainer("Features", "Pixels", options).Fit(train);
        Assert.Null(model.ScoreColumnName);
        Assert.Equal(4, model.TrainingHistory.Count);
        Assert.True(model.TrainingHistory[^1].TrainLoss < model.TrainingHistory[0].TrainLoss);
        var features = Columns.Vectors(model.Transform(TestView(ml)), "Features");
        Assert.All(features, f => Assert.Equal(64, f.Length));
        Assert.All(features.SelectMany(f => f), v => Assert.True(v >= 0f)); // ReLU units
        Assert.Contains(features.SelectMany(f => f), v => v > 0f);

        // Reusing the stack skips pretraining and gives the same pretrained features as a fresh FineTuning = None fit.
        var none = Small(StackedFineTuning.None);
        using var fresh = ml.Transforms.StackedPretrainer("Features", "Pixels", none).Fit(train);
        var reuse = Small(StackedFineTuning.None);
        reuse.PretrainedStack = fresh.PretrainedStack;
        using var reused = ml.Transforms.StackedPretrainer("Features", "Pixels", reuse).Fit(train);
        Assert.Equal(Columns.Vectors(fresh.Transform(TestView(ml)), "Features"), Columns.Vectors(reused.Transform(TestView(ml)), "Features"));

        // Denoising fine-tuning from the same stack and seed: reconstructing clean images from ones with 3 pixels in 4
        // masked cannot get as close as plain fine-tuning does, and it gives other codes; it still learns.
        var denoising = Small(StackedFineTuning.Unsupervised);
        denoising.FineTuningEpochs = 4;
        denoising.FineTuningCorruptionLevel = 0.75;
        denoising.PretrainedStack = model.PretrainedStack!;
        using var denoised = ml.Transforms.StackedPretrainer("Features", "Pixels", denoising).Fit(train);
        Assert.True(denoised.TrainingHistory[^1].TrainLoss > model.TrainingHistory[^1].TrainLoss * 1.1,
            $"denoising fine-tuning loss {denoised.TrainingHistory[^1].TrainLoss:F4} vs plain {model.TrainingHistory[^1].TrainLoss:F4}");
        Assert.NotEqual(features, Columns.Vectors(denoised.Transform(TestView(ml)), "Features"));
        Assert.True(denoised.TrainingHistory[^1].TrainLoss < denoised.TrainingHistory[0].TrainLoss);
    }

    [Fact]
    public void Linear_top_layer_and_multinomial_input_loss_give_signed_codes_that_survive_save_and_load()
    {
        var ml = new MLContext(seed: 1);
        var train = Semi(ml, labelled: 0);
        var options = Small(StackedFineTuning.Unsupervised);
        options.FineTuningEpochs = 4;
        options.CodeActivation = ActivationFunction.Linear;
        options.Loss = ReconstructionLoss.MultinomialCrossEntropy; // each image as a distribution of ink
        using var model = ml.Transforms.StackedPretrainer("Code", "Pixels", options).Fit(train);
        Assert.True(model.TrainingHistory[^1].TrainLoss < model.TrainingHistory[0].TrainLoss);
        Assert.Equal(ActivationFunction.Linear, model.PretrainedStack!.CodeActivation);

        var codes = Columns.Vectors(model.Transform(TestView(ml)), "Code");
        Assert.Contains(codes.SelectMany(c => c), v => v < 0f); // a ReLU top layer could not give these
        Assert.Contains(codes.SelectMany(c => c), v => v > 0f);

        var loaded = SaveAndLoad(ml, model, train.Schema);
        Assert.All(codes.Zip(Columns.Vectors(loaded.Transform(TestView(ml)), "Code")), p => Assert.Equal(p.First, p.Second));

        // The stack remembers its top layer: reusing it under the default (ReLU) top layer is refused.
        var reuse = Small(StackedFineTuning.None);
        reuse.PretrainedStack = model.PretrainedStack;
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => ml.Transforms.StackedPretrainer("Code", "Pixels", reuse).Fit(train));
        Assert.Contains("ReLU (code layer Linear) stack", e.Message);
    }

    [Fact]
    public void Same_seed_same_features()
    {
        var ml = new MLContext(seed: 1);
        var train = Semi(ml, labelled: 200);
        var options = Small();
        options.FineTuningEpochs = 2;
        using var a = ml.Transforms.StackedPretrainer("Features", "Pixels", options).Fit(train);
        using var b = ml.Transforms.StackedPretrainer("Features", "Pixels", options).Fit(train);
        Assert.Equal(Columns.Vectors(a.Transform(TestView(ml)), "Features"), Columns.Vectors(b.Transform(TestView(ml)), "Features"));
    }

    [Fact]
    public void Key_labels_with_missing_values_mark_unlabelled_rows()
    {
        var ml = new MLContext(seed: 1);
        // NaN labels become the missing key (0) under MapValueToKey.
        var keyed = ml.Transforms.Conversion.MapValueToKey("LabelKey", "Label").Fit(Semi(ml, 300)).Transform(Semi(ml, 300));
        Assert.Equal(2700, keyed.GetColumn<uint>("LabelKey").Count(k => k == 0));
        var options = Small();
        options.LabelColumnName = "LabelKey";
        options.PretrainingEpochs = 1;
        options.FineTuningEpochs = 3;
        using var model = ml.Transforms.StackedPretrainer("Features", "Pixels", options).Fit(keyed);
        Assert.Equal(10, model.ClassCount);
        Assert.Equal(new KeyDataViewType(typeof(uint), 10), model.Transform(keyed).Schema["PredictedLabel"].Type);
    }

    [Fact]
    public void Bad_labels_and_layer_lists_give_errors_that_name_the_problem()
    {
        var ml = new MLContext(seed: 1);
        var quick = Small();
        quick.PretrainingEpochs = 1;

        var none = Assert.Throws<InvalidOperationException>(() => ml.Transforms.StackedPretrainer("Features", "Pixels", quick).Fit(Semi(ml, 0)));
        Assert.Contains("'Label' has no labelled rows", none.Message);

        var wrongType = Assert.Throws<ArgumentOutOfRangeException>(() => ml.Transforms.StackedPretrainer("Features", "Pixels", quick).Fit(
            ml.Data.LoadFromEnumerable(Train.Take(50).Select(m => new TextLabelRow { Label = m.Digit.ToString(), Pixels = m.Pixels }))));
        Assert.Contains("label column 'Label'", wrongType.Message);
        Assert.Contains("String", wrongType.Message);

        var fractional = ml.Data.LoadFromEnumerable(Train.Take(50).Select(m => new Row { Pixels = m.Pixels, Label = m.Digit + 0.5f }));
        var notClass = Assert.Throws<InvalidOperationException>(() => ml.Transforms.StackedPretrainer("Features", "Pixels", quick).Fit(fractional));
        Assert.Contains("Label column 'Label' holds 5.5", notClass.Message);

        var noLabel = Assert.Throws<ArgumentOutOfRangeException>(() => ml.Transforms.StackedPretrainer("Features", "Pixels", new StackedPretrainerOptions { LabelColumnName = "Digit" })
            .Fit(Semi(ml, 10)));
        Assert.Contains("Label column 'Digit' not found", noLabel.Message);

        var empty = Assert.Throws<ArgumentOutOfRangeException>(() => ml.Transforms.StackedPretrainer("Features", "Pixels", new StackedPretrainerOptions { CodeSize = 0 }));
        Assert.Contains("CodeSize", empty.Message);
        var zero = Assert.Throws<ArgumentOutOfRangeException>(() => ml.Transforms.StackedPretrainer("Features", "Pixels", new StackedPretrainerOptions { EncoderLayers = [100, 0] }));
        Assert.Contains("entry 1 is 0", zero.Message);
        var badLoss = Assert.Throws<ArgumentOutOfRangeException>(() => ml.Transforms.StackedPretrainer("Features", "Pixels", new StackedPretrainerOptions { Loss = (ReconstructionLoss)42 }));
        Assert.Contains("Option 'Loss'", badLoss.Message);
        var badNoise = Assert.Throws<ArgumentOutOfRangeException>(() => ml.Transforms.StackedPretrainer("Features", "Pixels", new StackedPretrainerOptions { FineTuning = StackedFineTuning.Unsupervised, FineTuningCorruptionLevel = 1.5 }));
        Assert.Contains("Option 'FineTuningCorruptionLevel'", badNoise.Message);
        var supervisedNoise = Assert.Throws<ArgumentOutOfRangeException>(() => ml.Transforms.StackedPretrainer("Features", "Pixels", new StackedPretrainerOptions { FineTuningCorruptionLevel = 0.2 }));
        Assert.Contains("FineTuning = Unsupervised only", supervisedNoise.Message);
        var badTop = Assert.Throws<ArgumentOutOfRangeException>(() => ml.Transforms.StackedPretrainer("Features", "Pixels", new StackedPretrainerOptions { CodeActivation = (ActivationFunction)42 }));
        Assert.Contains("Option 'CodeActivation'", badTop.Message);
        var sparseLinearTop = Assert.Throws<ArgumentOutOfRangeException>(() => ml.Transforms.StackedPretrainer("Features", "Pixels",
            new StackedPretrainerOptions { Activation = ActivationFunction.Sigmoid, CodeActivation = ActivationFunction.Linear, SparsityTarget = 0.05 }));
        Assert.Contains("needs CodeActivation = Sigmoid", sparseLinearTop.Message);

        var pretrainOnly = Small(StackedFineTuning.None);
        pretrainOnly.PretrainingEpochs = 1;
        using var stack = ml.Transforms.StackedPretrainer("Features", "Pixels", pretrainOnly).Fit(Semi(ml, 0));
        var mismatch = Small();
        mismatch.EncoderLayers = [100]; mismatch.CodeSize = 50;
        mismatch.PretrainedStack = stack.PretrainedStack;
        var doesNotFit = Assert.Throws<ArgumentOutOfRangeException>(() => ml.Transforms.StackedPretrainer("Features", "Pixels", mismatch).Fit(Semi(ml, 100)));
        Assert.Contains("784-128-64", doesNotFit.Message);
    }

    [Fact]
    public void Supervised_fine_tuning_validates_and_stops_early()
    {
        var ml = new MLContext(seed: 1);
        var options = Small();
        options.PretrainingEpochs = 1;
        options.FineTuningEpochs = 200;
        options.FineTuningLearningRate = 3e-3;
        options.ValidationFraction = 0.3;
        options.EarlyStoppingPatience = 3;
        using var model = ml.Transforms.StackedPretrainer("Features", "Pixels", options).Fit(Semi(ml, labelled: 300));
        // 300 labelled rows overfit quickly: validation loss stops improving long before 200 epochs.
        Assert.True(model.TrainingHistory.Count < 200, $"fine-tuning ran all {model.TrainingHistory.Count} epochs");
        Assert.All(model.TrainingHistory, e => Assert.NotNull(e.ValidationLoss));
        double best = model.TrainingHistory.Min(e => e.ValidationLoss!.Value);
        Assert.True(model.TrainingHistory[^1].ValidationLoss > best, "stopped while validation loss was still at its best");
        Assert.True(1 - ml.MulticlassClassification.Evaluate(model.Transform(TestView(ml))).MicroAccuracy < 0.5);
    }

    private sealed class TextLabelRow
    {
        public string Label { get; set; } = "";

        [VectorType(MnistImage.PixelCount)]
        public float[] Pixels { get; set; } = [];
    }
}
