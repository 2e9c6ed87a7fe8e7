using System.CommandLine;
using System.Diagnostics;
using AutoencoderSamples.Common;
using Microsoft.ML;
using Microsoft.ML.Autoencoders;
using Microsoft.ML.Autoencoders.Datasets;
using Microsoft.ML.Data;

namespace AutoencoderSamples.Scenarios;

/// <summary>
/// MNIST one-class anomaly detection: for each digit, train on that digit's training images only (and, second setting,
/// with 5 % other digits mixed in), score all test images; anomalies are the other digits. Autoencoder (dense and
/// convolutional) against ML.NET's RandomizedPca with its rank chosen on a validation split; AUC per digit, ROC curves,
/// the most and least anomalous test images, scoring speed and single-row latency.
/// </summary>
internal static class AnomalyScenario
{
    public static class Settings
    {
        public const int ConvEpochs = 10, QuickEpochs = 6, ConvBatchSize = 128, QuickBatchSize = 32;
        public const double Contamination = 0.05, ValidationFraction = 0.1;
        /// <summary>
        /// Chosen on the validation split (held-out images of the digit plus as many other training digits), mean over the
        /// ten digits with 5 % contamination: AUC 0.8948 plain, 0.9156 trimming 0.2, 0.9233 trimming 0.3 (2026-11-28).
        /// </summary>
        public const double RobustTrim = 0.3;
        public static readonly int[] PcaRanks = [5, 10, 20, 40, 80];
        public static readonly int[] QuickDigits = [0, 1];
    }

    public sealed class Row
    {
        [VectorType(MnistImage.PixelCount)] public float[] Pixels { get; set; } = [];
        /// <summary>1 = anomaly (another digit), 0 = normal.</summary>
        public float Label { get; set; }
    }

    public static Command Create()
    {
        var command = new Command("anomaly", "MNIST one-class anomaly detection: autoencoders vs RandomizedPca, clean and 5 % contaminated training data.");
        var output = SampleOptions.AddTo(command, Path.Combine("out", "anomaly"));
        command.SetAction(result => Run(SampleOptions.From(result, output)));
        return command;
    }

    public static int Run(SampleOptions o)
    {
        var clock = Stopwatch.StartNew();
        var ml = new MLContext(seed: o.Seed);
        var dataDir = o.MnistDirectory();
        var trainImages = Mnist.ReadImages(dataDir, MnistSplit.Train, o.Quick ? 6000 : null);
        var testImages = Mnist.ReadImages(dataDir, MnistSplit.Test, o.Quick ? 1000 : null);
        // The dense detector keeps the library's automatic batch size and epoch count (about 3,000 optimiser steps) unless
        // --epochs or --quick say otherwise; quick: ~540 images a digit, so small batches for enough steps.
        int? epochs = o.Epochs ?? (o.Quick ? Settings.QuickEpochs : null);
        int? batchSize = o.Quick ? Settings.QuickBatchSize : null;
        int convEpochs = o.Epochs ?? (o.Quick ? Settings.QuickEpochs : Settings.ConvEpochs);
        int convBatchSize = o.Quick ? Settings.QuickBatchSize : Settings.ConvBatchSize;
        int[] digits = o.Quick ? Settings.QuickDigits : Enumerable.Range(0, 10).ToArray();
        var display = new TrainingDisplay(o.Quiet);
        var report = new RunReport(o.OutputDirectory, "MNIST: one-class anomaly detection with autoencoders vs RandomizedPca");
        var rng = new Random(o.Seed);

        AutoencoderAnomalyDetectorOptions Dense(double trim) => new()
        {
            Network = new AutoencoderOptions
            {
                EncoderLayers = [256, 64], CodeSize = 16, Epochs = epochs, BatchSize = batchSize, CacheInMemory = true, Seed = o.Seed,
                LearningRateSchedule = LearningRateSchedule.Cosine, RobustTrimFraction = trim,
            },
            Contamination = Settings.Contamination,
        };
        AutoencoderAnomalyDetectorOptions Conv() => new()
        {
            Network = new ConvolutionalAutoencoderOptions
            {
                ImageHeight = 28, ImageWidth = 28, CodeSize = 16, Epochs = convEpochs, BatchSize = convBatchSize, CacheInMemory = true, Seed = o.Seed,
                Decoder = ConvolutionalDecoder.Upsampling, LearningRateSchedule = LearningRateSchedule.Cosine,
            },
            Contamination = Settings.Contamination,
        };

        var rows = new List<string[]>();
        var aucDense = new Dictionary<int, double>();
        var aucConv = new Dictionary<int, double>();
        var aucPca = new Dictionary<int, double>();
        var aucContaminated = new Dictionary<int, double>();
        var aucRobust = new Dictionary<int, double>();
        var pcaRank = new Dictionary<int, int>();
        var rocCurves = new List<(string, double[], double[])>();
        AutoencoderAnomalyTransformer? keptModel = null;

        foreach (int d in digits)
        {
            var normal = trainImages.Where(i => i.Digit == d).OrderBy(_ => rng.Next()).ToArray();
            var others = trainImages.Where(i => i.Digit != d).OrderBy(_ => rng.Next()).ToArray();
            int validation = (int)(normal.Length * Settings.ValidationFraction);
            var trainNormal = normal.Skip(validation).ToArray();
            var train = ml.Data.LoadFromEnumerable(Rows(trainNormal, _ => false));
            var testView = ml.Data.LoadFromEnumerable(Rows(testImages, img => img.Digit != d));
            bool[] isAnomaly = testImages.Select(i => i.Digit != d).ToArray();

            double Auc(ITransformer model) => ml.AnomalyDetection.Evaluate(model.Transform(testView)).AreaUnderRocCurve;

            // RandomizedPca: rank chosen on held-out images of the digit and as many other digits from the training set.
            var validationView = ml.Data.LoadFromEnumerable(Rows(normal.Take(validation).Concat(others.Take(validation)), img => img.Digit != d));
            var (bestRank, _) = Settings.PcaRanks.Select(r => (r, auc: ml.AnomalyDetection.Evaluate(
                ml.AnomalyDetection.Trainers.RandomizedPca("Pixels", rank: r, ensureZeroMean: true, seed: o.Seed).Fit(train).Transform(validationView)).AreaUnderRocCurve))
                .MaxBy(p => p.auc);
            var pca = ml.AnomalyDetection.Trainers.RandomizedPca("Pixels", rank: bestRank, ensureZeroMean: true, seed: o.Seed).Fit(train);
            pcaRank[d] = bestRank;
            aucPca[d] = Auc(pca);

            var dense = display.Run($"digit {d}: dense autoencoder", Dense(0).Network, () => ml.AnomalyDetection.Trainers.Autoencoder("Pixels", Dense(0)).Fit(train));
            aucDense[d] = Auc(dense);
            using (var conv = display.Run($"digit {d}: convolutional autoencoder", Conv().Network, () => ml.AnomalyDetection.Trainers.Autoencoder("Pixels", Conv()).Fit(train)))
                aucConv[d] = Auc(conv);

            // 5 % other digits mixed into the training images, plain and robust training.
            var contaminated = ml.Data.LoadFromEnumerable(Rows(trainNormal.Concat(others.Take((int)(trainNormal.Length * Settings.Contamination))), _ => false));
            using (var plain = display.Run($"digit {d}: dense, contaminated", Dense(0).Network, () => ml.AnomalyDetection.Trainers.Autoencoder("Pixels", Dense(0)).Fit(contaminated)))
                aucContaminated[d] = Auc(plain);
            using (var robust = display.Run($"digit {d}: dense, contaminated, robust", Dense(Settings.RobustTrim).Network, () => ml.AnomalyDetection.Trainers.Autoencoder("Pixels", Dense(Settings.RobustTrim)).Fit(contaminated)))
                aucRobust[d] = Auc(robust);

            if (rocCurves.Count < 4)
            {
                foreach (var (name, model) in new (string, ITransformer)[] { ($"digit {d}: autoencoder", dense), ($"digit {d}: RandomizedPca (rank {bestRank})", pca) })
                {
                    var (fpr, tpr) = RocPlot.Curve(model.Transform(testView).GetColumn<float>("Score").ToArray(), isAnomaly);
                    rocCurves.Add((name, fpr, tpr));
                }
            }
            if (keptModel is null) keptModel = dense; else dense.Dispose();
            rows.Add([d.ToString(), $"{aucDense[d]:F4}", $"{aucConv[d]:F4}", $"{aucPca[d]:F4} (rank {bestRank})", $"{aucContaminated[d]:F4}", $"{aucRobust[d]:F4}"]);
            o.Say($"digit {d}: AUC dense {aucDense[d]:F4}, conv {aucConv[d]:F4}, PCA {aucPca[d]:F4} (rank {bestRank}); contaminated {aucContaminated[d]:F4}, robust {aucRobust[d]:F4}.");
        }

        // Pictures and speed, from the first digit's dense detector.
        using var detector = keptModel!;
        int first = digits[0];
        var firstView = ml.Data.LoadFromEnumerable(Rows(testImages, img => img.Digit != first));
        var scores = detector.Transform(firstView).GetColumn<float>("Score").ToArray();
        var ranked = Enumerable.Range(0, scores.Length).OrderByDescending(i => scores[i]).ToArray();
        DigitGrid.Save(report.PathOf("most_and_least_anomalous.png"),
        [
            ($"most anomalous (model of {first})", ranked.Take(12).Select(i => testImages[i].Pixels).ToArray()),
            ($"least anomalous", ranked.Reverse().Take(12).Select(i => testImages[i].Pixels).ToArray()),
        ]);
        RocPlot.Save(report.PathOf("roc.png"), "ROC: other digits as anomalies", rocCurves);

        var timer = Stopwatch.StartNew();
        int scored = detector.Transform(firstView).GetColumn<float>("Score").Count();
        double rowsPerSecond = scored / timer.Elapsed.TotalSeconds;
        var engine = ml.Model.CreatePredictionEngine<Row, Prediction>(detector);
        var latencies = new List<double>();
        foreach (var image in testImages.Take(500))
        {
            var t = Stopwatch.GetTimestamp();
            engine.Predict(new Row { Pixels = image.Pixels });
            latencies.Add(Stopwatch.GetElapsedTime(t).TotalMilliseconds);
        }
        latencies.Sort();

        double Mean(Dictionary<int, double> auc) => Math.Round(auc.Values.Average(), 4);
        int above = digits.Count(d => aucDense[d] > aucPca[d]);
        report.Set("digits", digits);
        report.Set("auc_autoencoder", digits.Select(d => Math.Round(aucDense[d], 4)).ToArray());
        report.Set("auc_conv_autoencoder", digits.Select(d => Math.Round(aucConv[d], 4)).ToArray());
        report.Set("auc_randomized_pca", digits.Select(d => Math.Round(aucPca[d], 4)).ToArray());
        report.Set("randomized_pca_rank", digits.Select(d => pcaRank[d]).ToArray());
        report.Set("auc_contaminated", digits.Select(d => Math.Round(aucContaminated[d], 4)).ToArray());
        report.Set("auc_contaminated_robust", digits.Select(d => Math.Round(aucRobust[d], 4)).ToArray());
        report.Set("mean_auc_autoencoder", Mean(aucDense));
        report.Set("mean_auc_conv_autoencoder", Mean(aucConv));
        report.Set("mean_auc_randomized_pca", Mean(aucPca));
        report.Set("digits_autoencoder_above_pca", above);
        report.Set("digits_conv_autoencoder_above_pca", digits.Count(d => aucConv[d] > aucPca[d]));
        report.Set("mean_auc_contaminated", Mean(aucContaminated));
        report.Set("mean_auc_contaminated_robust", Mean(aucRobust));
        report.Set("scoring_rows_per_second", Math.Round(rowsPerSecond));
        report.Set("single_row_latency_p50_ms", Math.Round(latencies[latencies.Count / 2], 3));
        report.Set("single_row_latency_p99_ms", Math.Round(latencies[(int)(latencies.Count * 0.99)], 3));
        report.Set("epochs", epochs is int e ? e : (object)"automatic");
        report.Set("quick", o.Quick);
        report.Set("seed", o.Seed);
        report.Set("total_seconds", Math.Round(clock.Elapsed.TotalSeconds, 1));

        report.Line($"For each digit, the detectors learn that digit's training images ({(o.Quick ? $"quick mode: from the first 6,000 training images, {epochs} epochs" : "all of them")}, " +
                $"less {Settings.ValidationFraction:P0} held out) and score every test image ({testImages.Count}); the other digits are the anomalies. AUC from `mlContext.AnomalyDetection.Evaluate`.")
            .Line()
            .Line($"Dense autoencoder: 784-256-64-16, {(epochs is int e2 ? $"{e2} epochs" : "batch size and epochs automatic (about 3,000 optimiser steps)")}; convolutional: 16-32 channels, code 16, upsampling decoder, {convEpochs} epochs; " +
                  $"score = summed squared reconstruction error. RandomizedPca: rank from {{{string.Join(", ", Settings.PcaRanks)}}} with the best AUC on the held-out images " +
                  $"plus as many other-digit training images. Contaminated: {Settings.Contamination:P0} other-digit images mixed into the training images; " +
                  $"robust = `RobustTrimFraction = {Settings.RobustTrim}` (each batch's {Settings.RobustTrim:P0} worst-reconstructed rows, by squared error, left out after 2 epochs; the fraction chosen on the validation split).")
            .Line()
            .Table(["digit", "dense AE", "conv AE", "RandomizedPca", "dense AE, contaminated", "dense AE, contaminated, robust"], rows)
            .Line($"Mean AUC: dense {Mean(aucDense):F4}, convolutional {Mean(aucConv):F4}, RandomizedPca {Mean(aucPca):F4}; the dense autoencoder is above " +
                  $"RandomizedPca for {above} of {digits.Length} digits. Contaminated: {Mean(aucContaminated):F4} plain, {Mean(aucRobust):F4} robust.")
            .Line()
            .Image("ROC curves", "roc.png")
            .Image("most and least anomalous test images", "most_and_least_anomalous.png")
            .Line($"Scoring (Transform, {scored} rows): {rowsPerSecond:N0} rows/s; single row through a PredictionEngine: p50 {latencies[latencies.Count / 2]:F3} ms, " +
                  $"p99 {latencies[(int)(latencies.Count * 0.99)]:F3} ms.");
        report.Write();
        o.Say($"Wrote {report.PathOf("report.md")} and results.json ({clock.Elapsed.TotalMinutes:F1} min).", always: true);
        return 0;
    }

    public sealed class Prediction
    {
        public float Score { get; set; }
        public bool PredictedLabel { get; set; }
    }

    private static IEnumerable<Row> Rows(IEnumerable<MnistImage> images, Func<MnistImage, bool> anomaly) =>
        images.Select(i => new Row { Pixels = i.Pixels, Label = anomaly(i) ? 1 : 0 });
}
