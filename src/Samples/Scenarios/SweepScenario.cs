using System.CommandLine;
using System.Diagnostics;
using AutoencoderSamples.Common;
using Microsoft.ML;
using Microsoft.ML.Autoencoders;
using Microsoft.ML.Autoencoders.Datasets;
using Microsoft.ML.Autoencoders.Experiments;

namespace AutoencoderSamples.Scenarios;

/// <summary>
/// AutoML-style sweeps with the library's experiments: on MNIST, the autoencoder families and their settings searched
/// for the validation accuracy of LbfgsMaximumEntropy on the codes, by each tuner under the same time budget (over
/// several seeds), best-so-far curves, and the best model against the library defaults on the test set; then on
/// Reuters-21578, the same space searched for precision@10 of the codes.
/// </summary>
internal static class SweepScenario
{
    public static class Settings
    {
        public const int MnistRows = 6000, QuickMnistRows = 1500, ValidationRows = 1000, QuickValidationRows = 300, MaxEpochs = 20, QuickMaxEpochs = 2;
        public const int Budget = 400, QuickBudget = 15, ReutersBudget = 600, QuickReutersBudget = 15, QuickReutersDocuments = 600;
        public const double ReutersValidationFraction = 0.2, HandTunedReutersPrecision = 0.831;
        public static readonly string[] Tuners = SweepRuns.Tuners;
    }

    public static Command Create()
    {
        var command = new Command("sweep", "AutoML-style sweeps of the autoencoder families: MNIST (classifier accuracy on the codes, tuners compared) and Reuters (precision@10).");
        var output = SampleOptions.AddTo(command, Path.Combine("out", "sweep"));
        var budget = new Option<int?>("--budget") { Description = $"Seconds per MNIST experiment (one tuner, one seed; default {Settings.Budget}, quick {Settings.QuickBudget})." };
        var reutersBudget = new Option<int?>("--reuters-budget") { Description = $"Seconds for the Reuters experiment (default {Settings.ReutersBudget}; 0 leaves Reuters out)." };
        var seeds = new Option<int>("--seeds") { Description = "Seeds per tuner on MNIST (the comparison averages over them).", DefaultValueFactory = _ => 1 };
        var tuners = new Option<string>("--tuners") { Description = "Tuners to compare: random, halving (successive halving with in-training stopping), local.", DefaultValueFactory = _ => string.Join(',', Settings.Tuners) };
        foreach (var option in new Option[] { budget, reutersBudget, seeds, tuners }) command.Options.Add(option);
        command.SetAction(result => Run(SampleOptions.From(result, output), result.GetValue(budget), result.GetValue(reutersBudget), result.GetValue(seeds),
            result.GetValue(tuners)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)));
        return command;
    }

    public static int Run(SampleOptions o, int? budgetSeconds = null, int? reutersBudgetSeconds = null, int seedCount = 1, string[]? tuners = null)
    {
        var clock = Stopwatch.StartNew();
        tuners = SweepRuns.CheckTuners(tuners);
        int budget = budgetSeconds ?? (o.Quick ? Settings.QuickBudget : Settings.Budget);
        int maxEpochs = o.Quick ? Settings.QuickMaxEpochs : Settings.MaxEpochs;
        var report = new RunReport(o.OutputDirectory, "Sweeps: searching the autoencoder families and their settings");

        // ---- MNIST: classifier accuracy on the codes --------------------------------------------------------------------
        var dataDir = MnistFiles.Ensure(o.DataDirectory, log: m => o.Say(m));
        int rows = o.Quick ? Settings.QuickMnistRows : Settings.MnistRows, validationRows = o.Quick ? Settings.QuickValidationRows : Settings.ValidationRows;
        var images = Mnist.ReadImages(dataDir, MnistSplit.Train, rows);
        var ml = new MLContext(seed: o.Seed);
        var searchTrain = ml.Data.LoadFromEnumerable(images.Take(rows - validationRows));
        var validation = ml.Data.LoadFromEnumerable(images.Skip(rows - validationRows));
        var test = ml.Data.LoadFromEnumerable(Mnist.ReadImages(dataDir, MnistSplit.Test, o.Quick ? 1000 : null));
        var space = AutoencoderSearchSpace.Default(maxEpochs: maxEpochs, inputSize: images[0].Pixels.Length);
        IEstimator<ITransformer> Pipeline(TrialContext trial) => AutoencoderSearchSpace.CreateEstimator(ml, trial, "Code", "Pixels")
            .Append(ml.MulticlassClassification.Trainers.LbfgsMaximumEntropy("Label", "Code"));

        var sweeps = new List<Sweep>();
        foreach (int seed in Enumerable.Range(o.Seed, seedCount))
            foreach (var tuner in tuners)
            {
                o.Say($"MNIST, tuner {tuner}, seed {seed}: {budget} s ...");
                sweeps.Add(SweepRuns.Run(ml, tuner, seed, space, Pipeline, searchTrain, validation, budget, e => e.SetMulticlassAccuracyObjective("Label")));
                var last = sweeps[^1];
                o.Say($"  {last.Result.Trials.Count} trials, best validation accuracy {last.Best:F4} ({last.Result.BestTrial.Parameters}).");
            }

        var best = sweeps.Where(s => s.Seed == o.Seed).MaxBy(s => s.Result.BestTrial.Metric)!;
        double bestTest = ml.MulticlassClassification.Evaluate(best.Result.BestModel.Transform(test), "Label").MicroAccuracy;
        var defaultsClock = Stopwatch.StartNew();
        using var defaults = ml.Transforms.AutoencoderFeaturizer("Code", "Pixels", new AutoencoderOptions { Seed = o.Seed, Epochs = o.Quick ? 1 : null })
            .Fit(searchTrain);
        var defaultsClassifier = ml.MulticlassClassification.Trainers.LbfgsMaximumEntropy("Label", "Code").Fit(defaults.Transform(searchTrain));
        double defaultsTest = ml.MulticlassClassification.Evaluate(defaultsClassifier.Transform(defaults.Transform(test)), "Label").MicroAccuracy;
        double defaultsSeconds = defaultsClock.Elapsed.TotalSeconds;
        o.Say($"MNIST test accuracy: best found {bestTest:F4} ({best.Tuner}), library defaults {defaultsTest:F4}.", always: true);

        var comparison = SweepRuns.Compare(sweeps, tuners, report);
        BestSoFarPlot(report.PathOf("mnist_best_so_far.png"), $"MNIST: best validation accuracy so far ({budget} s per experiment)", sweeps);

        report.Set("mnist_best_test_accuracy", Math.Round(bestTest, 4));
        report.Set("mnist_default_test_accuracy", Math.Round(defaultsTest, 4));
        report.Set("mnist_best_tuner", best.Tuner);
        report.Set("mnist_best_parameters", best.Result.BestTrial.Parameters.ToString());
        report.Set("mnist_trials", sweeps.Select(s => new { s.Tuner, s.Seed, Trials = s.Result.Trials.Count, Best = Math.Round(s.Best, 4) }).ToArray());
        report.Set("budget_seconds", budget);
        report.Set("seeds", seedCount);

        report.Line($"MNIST: {rows - validationRows} training and {validationRows} validation images for the search, the 10k test images{(o.Quick ? " (quick: 1,000)" : "")} only for the final figures. " +
                    $"Objective: accuracy of ML.NET's LbfgsMaximumEntropy on the codes, on the validation images. Space: `AutoencoderSearchSpace.Default(maxEpochs: {maxEpochs}, inputSize: {images[0].Pixels.Length})` (local search and halving start from its declared defaults, the library's) " +
                    "(family dense / denoising / stacked, code size 4–128, depth 0–3, width 64–1024, activation, L1 sparsity, learning rate, batch size, epochs). " +
                    $"Each experiment: {budget} s on {Environment.ProcessorCount} cores. Tuners: random search; successive halving (brackets of 9 → 3 → 1 points at 1/9, 1/3 and all of the epochs) with ASHA's in-training stopping (η = 3); local search (FLOW²-style).")
            .Line()
            .Table(["", "test accuracy"], [
                [$"best found ({best.Tuner}, seed {best.Seed}: {best.Result.BestTrial.Parameters})", bestTest.ToString("F4")],
                [$"library defaults (AutoencoderFeaturizer with default options, {defaultsSeconds:F0} s)", defaultsTest.ToString("F4")]])
            .Line()
            .Line($"**Tuners** (same budget; per seed {string.Join(", ", Enumerable.Range(o.Seed, seedCount))}): best validation accuracy, seconds to reach its own best, seconds to reach random search's final best (— never):")
            .Table(SweepRuns.CompareHeader, comparison)
            .Image("best so far", "mnist_best_so_far.png")
            .Line("**Every trial** (first seed):")
            .Table(["tuner", "trial", "budget", "validation accuracy", "seconds", "settings"],
                SweepRuns.TrialRows(sweeps.Where(s => s.Seed == o.Seed)));

        // ---- Reuters: precision@10 of the codes ------------------------------------------------------------------------
        int reutersBudget = reutersBudgetSeconds ?? (o.Quick ? Settings.QuickReutersBudget : Settings.ReutersBudget);
        if (reutersBudget > 0)
        {
            var documents = Reuters.ReadDocuments(ReutersFiles.Ensure(o.DataDirectory, log: m => o.Say(m)));
            int? limit = o.Quick ? Settings.QuickReutersDocuments : null;
            var corpus = RetrievalCorpus.Reuters(documents, limit, limit);
            var words = BagOfWords.Fit(ml, corpus.Database.Select(d => d.Text).ToArray());
            float[][] Inputs(IEnumerable<Document> docs) => words.Counts(docs.Select(d => d.Text)).Select(words.AutoencoderInput).ToArray();
            int split = (int)(corpus.Database.Length * (1 - Settings.ReutersValidationFraction));
            var order = new Random(o.Seed);
            var shuffled = corpus.Database.Select(d => (d, Key: order.Next())).OrderBy(p => p.Key).Select(p => p.d).ToArray();
            Document[] database = shuffled[..split], queries = shuffled[split..];
            var databaseView = VectorData.ToDataView(ml, Inputs(database), "Words", words.FeatureCount);
            var queryView = VectorData.ToDataView(ml, Inputs(queries), "Words", words.FeatureCount);
            double PrecisionAt10(ITransformer model, IDataView databaseRows, Document[] databaseDocs, IDataView queryRows, Document[] queryDocs)
            {
                var index = CodeIndex.Create(VectorData.Column(model.Transform(databaseRows), "Code"));
                var hits = index.Search(VectorData.Column(model.Transform(queryRows), "Code"), 10);
                return hits.Select((h, q) => h.Count(hit => databaseDocs[hit.Row].Labels.Intersect(queryDocs[q].Labels).Any()) / 10.0).Average();
            }
            var textSpace = AutoencoderSearchSpace.Default(maxEpochs: o.Quick ? Settings.QuickMaxEpochs : 60, inputSize: words.FeatureCount);
            string textTuner = tuners.Contains("halving") ? "halving" : tuners[0];
            o.Say($"Reuters: {database.Length} database and {queries.Length} validation documents, tuner {textTuner}, {reutersBudget} s ...");
            var text = SweepRuns.Run(ml, textTuner, o.Seed, textSpace, trial => AutoencoderSearchSpace.CreateEstimator(ml, trial, "Code", "Words"), databaseView, queryView, reutersBudget,
                e => e.SetObjective((model, _) => PrecisionAt10(model, databaseView, database, queryView, queries), maximize: true));
            var fullDatabase = VectorData.ToDataView(ml, Inputs(corpus.Database), "Words", words.FeatureCount);
            var testQueries = VectorData.ToDataView(ml, Inputs(corpus.Queries), "Words", words.FeatureCount);
            double reutersTest = PrecisionAt10(text.Result.BestModel, fullDatabase, corpus.Database, testQueries, corpus.Queries);
            o.Say($"Reuters precision@10 on the test queries: {reutersTest:F4} (hand-tuned recipe: {Settings.HandTunedReutersPrecision}).", always: true);
            report.Set("reuters_best_p_at_10", Math.Round(reutersTest, 4));
            report.Set("reuters_validation_p_at_10", Math.Round(text.Best, 4));
            report.Set("reuters_best_parameters", text.Result.BestTrial.Parameters.ToString());
            report.Set("reuters_trials", text.Result.Trials.Count);
            report.Line()
                .Line($"**Reuters-21578** ({corpus.Database.Length} ModApte training and {corpus.Queries.Length} test documents{(o.Quick ? ", quick subset" : "")}; {words.FeatureCount}-word log counts as in `text-retrieval`): " +
                      $"the same space (epochs up to {(o.Quick ? Settings.QuickMaxEpochs : 60)}) searched by {textTuner} for {reutersBudget} s, objective precision@10 of {queries.Length} held-out training documents against the other {database.Length} (cosine on the codes). " +
                      $"{text.Result.Trials.Count} trials; best validation precision@10 {text.Best:F4} ({text.Result.BestTrial.Parameters}). " +
                      $"Its model on the test queries against all training documents: **precision@10 {reutersTest:F4}** (the hand-tuned 10-d recipe of `text-retrieval`: {Settings.HandTunedReutersPrecision}).");
        }

        report.Set("quick", o.Quick);
        report.Set("seed", o.Seed);
        report.Set("total_seconds", Math.Round(clock.Elapsed.TotalSeconds, 1));
        report.Write();
        o.Say($"Wrote {report.PathOf("report.md")} and results.json ({clock.Elapsed.TotalMinutes:F1} min).", always: true);
        return 0;
    }

    private static void BestSoFarPlot(string path, string title, IReadOnlyList<Sweep> sweeps)
    {
        var plot = new ScottPlot.Plot();
        var palette = new ScottPlot.Palettes.Category10();
        var tuners = sweeps.Select(s => s.Tuner).Distinct().ToList();
        foreach (var sweep in sweeps.Where(s => s.FinishedAt.Length > 0))
        {
            var best = sweep.BestSoFar();
            var line = plot.Add.ScatterLine(sweep.FinishedAt, best.Select(b => double.IsFinite(b) ? b : double.NaN).ToArray(), palette.GetColor(tuners.IndexOf(sweep.Tuner)));
            line.LineWidth = 2;
            line.ConnectStyle = ScottPlot.ConnectStyle.StepHorizontal;
            if (sweep.Seed == sweeps.Where(s => s.Tuner == sweep.Tuner).Min(s => s.Seed)) line.LegendText = sweep.Tuner;
        }
        plot.Title(title);
        plot.XLabel("seconds");
        plot.YLabel("best validation metric so far");
        plot.ShowLegend(ScottPlot.Alignment.LowerRight);
        plot.SavePng(path, 900, 600);
    }
}
