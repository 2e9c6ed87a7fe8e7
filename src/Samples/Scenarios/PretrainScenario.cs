using System.CommandLine;
using System.Diagnostics;
using AutoencoderSamples.Common;
using Microsoft.ML;
using Microsoft.ML.Autoencoders;
using Microsoft.ML.Data;

namespace AutoencoderSamples.Scenarios;

/// <summary>
/// Semi-supervised MNIST with a stacked autoencoder: all 60k training images unlabelled for greedy layer-wise
/// pretraining, 100 or 1000 of them labelled for fine-tuning. Compares the pretrained network with the same
/// network randomly initialised, and ML.NET's LbfgsMaximumEntropy on raw pixels and on pretrained features,
/// over several seeds; then the pretrained network with all 60k labels.
/// </summary>
internal static class PretrainScenario
{
    public static class Settings
    {
        public static readonly int[] Layers = [1000, 1000, 500];
        /// <summary>Epochs per pretrained layer: 5 gave 17.0% / 6.3% (100 / 1000 labels, 3 seeds), 20 gave 15.0% / 5.4%.</summary>
        public const int PretrainingEpochs = 20;
        public const int Seeds = 3;
        public static readonly int[] LabelCounts = [100, 1000];
        /// <summary>Fine-tuning with few labels: mini-batches of 32 and enough epochs for <see cref="FewLabelSteps"/> steps.</summary>
        public const int FewLabelBatchSize = 32;
        /// <summary>
        /// Steps and shifts of few-label fine-tuning, chosen on the validation split (3 seeds, 2026-12-06; the same pretrained
        /// stacks): mean validation error (100 / 1000 labels) 11.89% / 3.99% with 800 steps and ±1 px (the earlier recipe), 10.85% / 4.06% with 800 and ±2,
        /// 11.68% / 3.71% with 1600 and ±1, 10.20% / 3.48% with 1600 and ±2, 10.47% / 3.39% with 3200 and ±2 (dropout 0.3 instead of 0.5: 10.48% / 3.60%).
        /// </summary>
        public const int FewLabelSteps = 1600;
        public const int FewLabelShift = 2;
        public const double FewLabelLearningRate = 3e-4;
        public const double FewLabelDropout = 0.5;
        /// <summary>With all labels (and shifts): on the validation split (1 seed, 2026-11-28) 10 epochs 1.18%, 30 epochs 1.04%.</summary>
        public const int AllLabelEpochs = 30;
        /// <summary>Shifts of up to ±1 pixel in pretraining and fine-tuning: on the validation split 15.19% / 4.29% (100 / 1000 labels) against 18.06% / 5.02% without.</summary>
        public const int AugmentShift = 1;
        public const double AllLabelLearningRate = 1e-4;
        public const int QuickTrainRows = 3000, QuickTestRows = 1000, QuickEpochs = 1;
    }

    public static Command Create()
    {
        var command = new Command("pretrain", "MNIST with 100 / 1000 labels: stacked-autoencoder pretraining + fine-tuning vs random initialisation and logistic regression.");
        var output = SampleOptions.AddTo(command, Path.Combine("out", "pretrain"));
        var seeds = new Option<int?>("--seeds") { Description = $"How many seeds (label draws and initialisations) to average over (default {Settings.Seeds}; quick mode 1)." };
        var contractive = new Option<double?>("--contractive") { Description = $"Pretrain each layer as a contractive autoencoder with this weight λ (e.g. {ContractivePenalty.DefaultWeight}) instead of a denoising one." };
        var validation = new Option<bool>("--validation") { Description = "Choose settings without the test set: train on the first 50,000 training images, report errors on the last 10,000." };
        var sigmoid = new Option<bool>("--sigmoid") { Description = "Sigmoid units in every layer (the classic recipe of the CAE paper) instead of ReLU." };
        var shift = new Option<int>("--augment-shift") { Description = $"Pretrain the first layer and fine-tune with all labels on images moved by up to this many pixels (default {Settings.AugmentShift}; 0: none).", DefaultValueFactory = _ => Settings.AugmentShift };
        var fewShift = new Option<int>("--few-label-shift") { Description = $"Fine-tune with 100 / 1000 labels on images moved by up to this many pixels (default {Settings.FewLabelShift}; 0: none).", DefaultValueFactory = _ => Settings.FewLabelShift };
        var fewSteps = new Option<int>("--few-label-steps") { Description = $"Optimiser steps of fine-tuning with 100 / 1000 labels (default {Settings.FewLabelSteps}).", DefaultValueFactory = _ => Settings.FewLabelSteps };
        var allLabelEpochs = new Option<int>("--all-label-epochs") { Description = $"Fine-tuning epochs with all labels (default {Settings.AllLabelEpochs}).", DefaultValueFactory = _ => Settings.AllLabelEpochs };
        var skipAll = new Option<bool>("--skip-all-labels") { Description = "Leave out the fine-tuning with every label (for quicker setting searches)." };
        command.Options.Add(seeds);
        command.Options.Add(contractive);
        command.Options.Add(validation);
        command.Options.Add(sigmoid);
        command.Options.Add(skipAll);
        command.Options.Add(shift);
        command.Options.Add(allLabelEpochs);
        command.Options.Add(fewShift);
        command.Options.Add(fewSteps);
        command.SetAction(result => Run(SampleOptions.From(result, output), result.GetValue(seeds), result.GetValue(contractive), result.GetValue(validation),
            result.GetValue(sigmoid), result.GetValue(skipAll), result.GetValue(shift), result.GetValue(allLabelEpochs), result.GetValue(fewShift), result.GetValue(fewSteps)));
        return command;
    }

    public static int Run(SampleOptions o, int? seedCount = null, double? contractiveWeight = null, bool validation = false, bool sigmoid = false, bool skipAllLabels = false, int augmentShift = Settings.AugmentShift, int allLabelEpochs = Settings.AllLabelEpochs,
        int fewLabelShift = Settings.FewLabelShift, int fewLabelSteps = Settings.FewLabelSteps)
    {
        static ImageAugmentation? Shifts(int k) => k > 0 ? new ImageAugmentation { MaxShift = k, ImageHeight = 28, ImageWidth = 28 } : null;
        var augmentation = Shifts(augmentShift);
        var fewLabelAugmentation = Shifts(fewLabelShift);
        var activation = sigmoid ? ActivationFunction.Sigmoid : StackedPretrainer.Defaults.Activation;
        var clock = Stopwatch.StartNew();
        var ml = new MLContext(seed: o.Seed);
        var (trainImages, testImages) = o.ReadMnist(validation, Settings.QuickTrainRows, Settings.QuickTestRows);
        string stackKind = (augmentation is null ? "" : $"shifts up to ±{augmentShift} px, ") + (contractiveWeight is double w ? $"contractive (λ = {w})" : $"denoising (masking {StackedPretrainer.Defaults.CorruptionLevel:P0})") + $", {activation} units";
        var test = SemiSupervisedDigits.AllLabelled(ml, testImages);
        int pretrainingEpochs = o.Epochs ?? (o.Quick ? Settings.QuickEpochs : Settings.PretrainingEpochs);
        var seeds = Enumerable.Range(o.Seed, seedCount ?? (o.Quick ? 1 : Settings.Seeds)).ToArray();
        var display = new TrainingDisplay(o.Quiet);
        var report = new RunReport(o.OutputDirectory, "MNIST with few labels: stacked-autoencoder pretraining");
        report.Set("stack", stackKind);
        report.Set("validation_split", validation);
        var errors = new Dictionary<string, List<double>>();
        void Record(string key, double error)
        {
            (errors.TryGetValue(key, out var list) ? list : errors[key] = []).Add(error);
            o.Say($"{key}: test error {error:P2}");
        }
        double TestError(ITransformer model) => 1 - ml.MulticlassClassification.Evaluate(model.Transform(test)).MicroAccuracy;

        foreach (var seed in seeds)
        {
            // Pretraining never looks at labels: once per seed, shared by every label count.
            var unlabelled = SemiSupervisedDigits.WithLabels(ml, trainImages, 0, seed);
            var pretrainOptions = Options(seed, pretrainingEpochs, StackedFineTuning.None, activation, augmentation, contractiveWeight);
            using var pretrained = display.Run($"pretraining, seed {seed}", pretrainOptions,
                () => ml.Transforms.StackedPretrainer("Features", "Pixels", pretrainOptions).Fit(unlabelled));

            foreach (var labels in Settings.LabelCounts)
            {
                var semi = SemiSupervisedDigits.WithLabels(ml, trainImages, labels, seed);
                var tuned = FineTune(Options(seed, pretrainingEpochs, StackedFineTuning.Supervised, activation, fewLabelAugmentation), labels, fewLabelSteps);
                tuned.PretrainedStack = pretrained.PretrainedStack;
                using (var model = display.Run($"fine-tuning, {labels} labels, seed {seed}", tuned, () => ml.Transforms.StackedPretrainer("Features", "Pixels", tuned).Fit(semi)))
                {
                    Record($"labels{labels}_pretrained_error", TestError(model));
                    if (labels == Settings.LabelCounts[0] && seed == seeds[0]) report.Set("reload_identical_predictions", Metrics.ReloadsIdentically(ml, model, test, semi.Schema, report.PathOf("pretrained_100_labels.zip")));
                }

                var random = FineTune(Options(seed, pretrainingEpochs, StackedFineTuning.Supervised, activation, fewLabelAugmentation), labels, fewLabelSteps);
                random.Pretrain = false;
                using (var model = display.Run($"random init, {labels} labels, seed {seed}", random, () => ml.Transforms.StackedPretrainer("Features", "Pixels", random).Fit(semi)))
                    Record($"labels{labels}_random_init_error", TestError(model));

                var labelledOnly = SemiSupervisedDigits.LabelledOnly(ml, trainImages, labels, seed);
                Record($"labels{labels}_logreg_pixels_error", TestError(LogisticRegression(ml, "Pixels").Fit(labelledOnly)));
                var features = new TransformerChain<ITransformer>(pretrained).Append(LogisticRegression(ml, "Features").Fit(pretrained.Transform(labelledOnly)));
                Record($"labels{labels}_logreg_pretrained_features_error", TestError(features));
            }
            if (seed == seeds[0] && !skipAllLabels)
            {
                var all = FineTune(Options(seed, pretrainingEpochs, StackedFineTuning.Supervised, activation, augmentation), trainImages.Count, fewLabelSteps);
                all.FineTuningEpochs = allLabelEpochs;
                all.PretrainedStack = pretrained.PretrainedStack;
                using var model = display.Run("fine-tuning, all labels", all, () => ml.Transforms.StackedPretrainer("Features", "Pixels", all).Fit(SemiSupervisedDigits.AllLabelled(ml, trainImages)));
                Record("all_labels_pretrained_error", TestError(model));
            }
        }

        foreach (var (key, list) in errors)
        {
            report.Set(key, Math.Round(list.Average(), 4));
            if (list.Count > 1) report.Set(key + "_std", Math.Round(Metrics.StandardDeviation(list), 4));
        }
        report.Set("seeds", seeds.Length);
        report.Set("pretraining_epochs_per_layer", pretrainingEpochs);
        report.Set("all_label_epochs", allLabelEpochs);
        report.Set("few_label_steps", fewLabelSteps);
        report.Set("few_label_shift", fewLabelShift);
        report.Set("quick", o.Quick);
        report.Set("train_rows", trainImages.Count);
        report.Set("test_rows", testImages.Count);
        report.Set("total_seconds", Math.Round(clock.Elapsed.TotalSeconds, 1));

        string Cell(string key) => errors.TryGetValue(key, out var l)
            ? $"{l.Average():P2}" + (l.Count > 1 ? $" ± {Metrics.StandardDeviation(l):P2}" : "") : "–";
        report.Line($"Training images: {trainImages.Count} (all used unlabelled for pretraining), {(validation ? "validation images (the last of the training set; the test set is not read)" : "test images")}: {testImages.Count}. Stack: {stackKind}. " +
                $"Network 784-{string.Join('-', Settings.Layers)}-10, ReLU units; each layer pretrained {pretrainingEpochs} epochs as a denoising autoencoder (50% masking). " +
                $"Few-label fine-tuning: {fewLabelSteps} Adam steps of {Settings.FewLabelBatchSize} labelled rows, learning rate {Settings.FewLabelLearningRate}, dropout {Settings.FewLabelDropout}, " +
                (fewLabelAugmentation is null ? "no shifts. " : $"images shifted by up to ±{fewLabelShift} px. ") +
                $"Labelled rows are a balanced draw per seed; {seeds.Length} seed(s), mean ± standard deviation of the test error." + (o.Quick ? " Quick mode: a smoke run." : ""))
            .Line()
            .Table(["method", "100 labels", "1000 labels", "reference (100 / 1000), Kingma et al. 2014"],
            [
                ["network, random initialisation", Cell("labels100_random_init_error"), Cell("labels1000_random_init_error"), "NN: 25.8% / 10.7%"],
                [$"network, {stackKind} stacked pretraining + fine-tuning" + (fewLabelAugmentation is null ? "" : $" on shifts up to ±{fewLabelShift} px"), Cell("labels100_pretrained_error"), Cell("labels1000_pretrained_error"), "CAE: 13.5% / 4.8%"],
                ["LbfgsMaximumEntropy on pixels", Cell("labels100_logreg_pixels_error"), Cell("labels1000_logreg_pixels_error"), ""],
                ["LbfgsMaximumEntropy on pretrained features", Cell("labels100_logreg_pretrained_features_error"), Cell("labels1000_logreg_pretrained_features_error"), ""],
            ])
            .Line($"All {trainImages.Count} labels, pretrained + fine-tuned ({allLabelEpochs} epochs, learning rate {Settings.AllLabelLearningRate}): test error {Cell("all_labels_pretrained_error")} (stacked denoising autoencoder, Vincent et al. 2010: 1.28%).")
            .Line()
            .Line($"The 100-label model saved with mlContext.Model.Save and loaded back (LoadVerified) gives identical predictions: {report.Get<bool>("reload_identical_predictions")}.");
        report.Write();
        o.Say($"Wrote {report.PathOf("report.md")} and results.json ({clock.Elapsed.TotalMinutes:F1} min).", always: true);
        return 0;
    }

    private static StackedPretrainerOptions Options(int seed, int pretrainingEpochs, StackedFineTuning fineTuning, ActivationFunction activation, ImageAugmentation? augmentation, double? contractiveWeight = null)
    {
        var options = new StackedPretrainerOptions
        {
            Augmentation = augmentation,
            Activation = activation, CodeActivation = activation,
            EncoderLayers = Settings.Layers[..^1], CodeSize = Settings.Layers[^1],
            PretrainingEpochs = pretrainingEpochs,
            FineTuning = fineTuning,
            CacheInMemory = true,
            Seed = seed,
        };
        if (contractiveWeight is double weight)
        {
            // The CAE recipe: each layer learns from clean inputs, regularised by the Jacobian penalty alone.
            options.CorruptionLevel = 0;
            options.Penalties = [new ContractivePenalty { Weight = weight }];
        }
        return options;
    }

    /// <summary>Fine-tuning settings for <paramref name="labels"/> labelled rows: few labels get small batches, dropout and <paramref name="fewLabelSteps"/> steps.</summary>
    private static StackedPretrainerOptions FineTune(StackedPretrainerOptions options, int labels, int fewLabelSteps)
    {
        if (labels >= 10_000)
        {
            options.FineTuningEpochs = Settings.AllLabelEpochs;
            options.FineTuningLearningRate = Settings.AllLabelLearningRate;
            return options;
        }
        options.FineTuningBatchSize = Settings.FewLabelBatchSize;
        options.FineTuningEpochs = Math.Max(1, fewLabelSteps * Settings.FewLabelBatchSize / labels);
        options.FineTuningLearningRate = Settings.FewLabelLearningRate;
        options.FineTuningDropout = Settings.FewLabelDropout;
        return options;
    }

    private static IEstimator<ITransformer> LogisticRegression(MLContext ml, string features) =>
        ml.Transforms.Conversion.MapValueToKey("LabelKey", "Label", keyOrdinality: Microsoft.ML.Transforms.ValueToKeyMappingEstimator.KeyOrdinality.ByValue)
            .Append(ml.MulticlassClassification.Trainers.LbfgsMaximumEntropy("LabelKey", features))
            .Append(ml.Transforms.CopyColumns("Label", "LabelKey"));
}
