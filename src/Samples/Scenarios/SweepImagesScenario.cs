using System.CommandLine;
using System.Diagnostics;
using AutoencoderSamples.Common;
using Microsoft.ML;
using Microsoft.ML.Autoencoders;
using Microsoft.ML.Autoencoders.Datasets;
using Microsoft.ML.Autoencoders.Experiments;

namespace AutoencoderSamples.Scenarios;

/// <summary>
/// An AutoML-style sweep on any folder of images (labels from sub-folders): every autoencoder family, the convolutional
/// one included, searched for the precision@10 of its codes, each tuner under the same budget; the best model against
/// the folder's PCA codes at the same size, raw pixels and the library's defaults, on queries the search never saw.
/// </summary>
internal static class SweepImagesScenario
{
    public static class Settings
    {
        public const int Budget = 300, QuickBudget = 10, MaxEpochs = 60, QuickMaxEpochs = 2, K = 10;
        /// <summary>Every this-many-th database image (after a seeded shuffle) is a validation query during the search.</summary>
        public const int ValidationEvery = 5;
    }

    public static Command Create()
    {
        var command = new Command("sweep-images", "Sweep the autoencoder families on a folder of images for search precision@10 of the codes; tuners compared; best vs PCA, pixels and the defaults.");
        var output = SampleOptions.AddTo(command, Path.Combine("out", "sweep-images"));
        var images = new Option<string>("--images") { Description = "Folder of images (labels from sub-folder names; every 5th image is a test query).", Required = true };
        var size = new Option<int>("--image-size") { Description = "Side images are resized to.", DefaultValueFactory = _ => ImageSearchScenario.Settings.FolderImageSize };
        var budget = new Option<int?>("--budget") { Description = $"Seconds per experiment (one tuner, one seed; default {Settings.Budget}, quick {Settings.QuickBudget})." };
        var seeds = new Option<int>("--seeds") { Description = "Seeds per tuner.", DefaultValueFactory = _ => 1 };
        var tuners = new Option<string>("--tuners") { Description = "Tuners to compare: random, halving, local.", DefaultValueFactory = _ => string.Join(',', SweepRuns.Tuners) };
        foreach (var option in new Option[] { images, size, budget, seeds, tuners }) command.Options.Add(option);
        command.SetAction(result => Run(SampleOptions.From(result, output), result.GetValue(images)!, result.GetValue(size), result.GetValue(budget), result.GetValue(seeds),
            result.GetValue(tuners)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)));
        return command;
    }

    public static int Run(SampleOptions o, string folder, int imageSize, int? budgetSeconds = null, int seedCount = 1, string[]? tuners = null)
    {
        var clock = Stopwatch.StartNew();
        tuners = SweepRuns.CheckTuners(tuners);
        int budget = budgetSeconds ?? (o.Quick ? Settings.QuickBudget : Settings.Budget);
        int maxEpochs = o.Quick ? Settings.QuickMaxEpochs : Settings.MaxEpochs;
        var ml = new MLContext(seed: o.Seed);
        var report = new RunReport(o.OutputDirectory, "Sweep on a folder of images: search precision@10 of the codes");

        // Test split as in image-search (every 5th image a query); the search splits the database once more.
        var split = ImageSplit.Of(folder, o);
        var searchQueries = split.Database.Where((_, i) => i % Settings.ValidationEvery == 0).ToArray();
        var searchDatabase = split.Database.Where((_, i) => i % Settings.ValidationEvery != 0).ToArray();
        var load = ImageFolderPixels.Loader(ml, imageSize, grayscale: false, split.Database[0]);
        var (trainView, validationView, databaseView, queryView) = (load(searchDatabase), load(searchQueries), load(split.Database), load(split.Queries));
        o.Say($"{split.Database.Count} database images ({searchDatabase.Length} train the trials, {searchQueries.Length} are their validation queries), {split.Queries.Count} test queries.");

        double PrecisionAt10(float[][] database, IReadOnlyList<ImageFile> databaseFiles, float[][] queries, IReadOnlyList<ImageFile> queryFiles)
        {
            var hits = CodeIndex.Create(database, CodeDistance.Cosine).Search(queries, Settings.K);
            return hits.Select((h, q) => h.Count(x => databaseFiles[x.Row].Label == queryFiles[q].Label) / (double)Settings.K).Average();
        }
        double CodePrecision(ITransformer model, IDataView database, IReadOnlyList<ImageFile> databaseFiles, IDataView queries, IReadOnlyList<ImageFile> queryFiles) =>
            PrecisionAt10(VectorData.Column(model.Transform(database), "Code"), databaseFiles, VectorData.Column(model.Transform(queries), "Code"), queryFiles);

        var space = AutoencoderSearchSpace.Default(convolutional: true, maxEpochs: maxEpochs, inputSize: 3 * imageSize * imageSize);
        IEstimator<ITransformer> Pipeline(TrialContext trial) => AutoencoderSearchSpace.CreateEstimator(ml, trial, "Code", "Pixels");
        var sweeps = new List<Sweep>();
        foreach (int seed in Enumerable.Range(o.Seed, seedCount))
            foreach (var tuner in tuners)
            {
                o.Say($"Tuner {tuner}, seed {seed}: {budget} s ...");
                sweeps.Add(SweepRuns.Run(ml, tuner, seed, space, Pipeline, trainView, validationView, budget,
                    e => e.SetObjective((model, _) => CodePrecision(model, trainView, searchDatabase, validationView, searchQueries), maximize: true)));
                o.Say($"  {sweeps[^1].Result.Trials.Count} trials, best validation precision@10 {sweeps[^1].Best:F4} ({sweeps[^1].Result.BestTrial.Parameters}).");
            }

        // ---- Test queries: the best model (trained on the search's rows) against PCA at its code size, pixels and the defaults.
        var best = sweeps.Where(s => s.Seed == o.Seed).MaxBy(s => s.Result.BestTrial.Metric)!;
        var bestModel = best.Result.BestModel;
        int codeSize = best.Result.BestTrial.Parameters.Get<int>("CodeSize");
        double bestTest = CodePrecision(bestModel, databaseView, split.Database, queryView, split.Queries);
        var pca = PcaBaseline.Fit(ml, trainView, "Pixels", codeSize, o.Seed);
        double pcaTest = PrecisionAt10(pca.Encode(databaseView), split.Database, pca.Encode(queryView), split.Queries);
        double pixelsTest = PrecisionAt10(VectorData.Column(databaseView, "Pixels"), split.Database, VectorData.Column(queryView, "Pixels"), split.Queries);
        using var defaults = ml.Transforms.AutoencoderFeaturizer("Code", "Pixels", new AutoencoderOptions { CodeSize = codeSize, Seed = o.Seed, Epochs = o.Quick ? 1 : null })
            .Fit(trainView);
        double defaultsTest = CodePrecision(defaults, databaseView, split.Database, queryView, split.Queries);
        o.Say($"Test precision@10: best found {bestTest:F4}, PCA-{codeSize} {pcaTest:F4}, pixels {pixelsTest:F4}, library defaults {defaultsTest:F4}.", always: true);

        var comparison = SweepRuns.Compare(sweeps, tuners, report);
        StepChart.Save(report.PathOf("best_so_far.png"), $"Best validation precision@{Settings.K} so far ({budget} s per experiment)", "seconds", $"precision@{Settings.K}",
            sweeps.Where(s => s.FinishedAt.Length > 0).Select(s => (s.Tuner, s.FinishedAt, s.BestSoFar())).ToArray());

        report.Set("images_best_p_at_10", Math.Round(bestTest, 4));
        report.Set("images_pca_p_at_10", Math.Round(pcaTest, 4));
        report.Set("images_pixels_p_at_10", Math.Round(pixelsTest, 4));
        report.Set("images_default_p_at_10", Math.Round(defaultsTest, 4));
        report.Set("best_code_size", codeSize);
        report.Set("best_tuner", best.Tuner);
        report.Set("best_parameters", best.Result.BestTrial.Parameters.ToString());
        report.Set("trials", sweeps.Select(s => new { s.Tuner, s.Seed, Trials = s.Result.Trials.Count, Best = Math.Round(s.Best, 4) }).ToArray());
        report.Set("database_rows", split.Database.Count);
        report.Set("query_rows", split.Queries.Count);
        report.Set("budget_seconds", budget);
        report.Set("seeds", seedCount);
        report.Set("image_source", Path.GetFullPath(folder));
        report.Set("quick", o.Quick);
        report.Set("seed", o.Seed);
        report.Set("total_seconds", Math.Round(clock.Elapsed.TotalSeconds, 1));

        report.Line($"Images: folder {Path.GetFullPath(folder)} ({imageSize}×{imageSize} RGB through LoadImages → ResizeImages → ExtractPixels). " +
                    $"{split.Database.Count} database images and {split.Queries.Count} test queries (every 5th image after a seeded shuffle). " +
                    $"The search trains on {searchDatabase.Length} database images and scores precision@{Settings.K} of the other {searchQueries.Length} as queries against them (cosine on the codes); " +
                    $"the test queries are used only for the figures below. Space: `AutoencoderSearchSpace.Default(convolutional: true, maxEpochs: {maxEpochs}, inputSize: {3 * imageSize * imageSize})` (local search and halving start from its declared defaults, the library's); {budget} s per tuner and seed on {Environment.ProcessorCount} cores.")
            .Line()
            .Table(["search by", $"test precision@{Settings.K}"], [
                [$"best found ({best.Tuner}: {best.Result.BestTrial.Parameters})", bestTest.ToString("F4")],
                [$"PCA, {codeSize} components (the same code size)", pcaTest.ToString("F4")],
                ["raw pixels", pixelsTest.ToString("F4")],
                [$"library defaults (dense AutoencoderFeaturizer, code size {codeSize})", defaultsTest.ToString("F4")]])
            .Line()
            .Line($"**Tuners** (per seed {string.Join(", ", Enumerable.Range(o.Seed, seedCount))}): best validation precision@{Settings.K}, seconds to its own best, seconds to random search's final best (— never):")
            .Table(SweepRuns.CompareHeader, comparison)
            .Image("best so far", "best_so_far.png")
            .Line("**Every trial** (first seed):")
            .Table(["tuner", "trial", "budget", $"validation precision@{Settings.K}", "seconds", "settings"], SweepRuns.TrialRows(sweeps.Where(s => s.Seed == o.Seed)));
        report.Write();
        o.Say($"Wrote {report.PathOf("report.md")} and results.json ({clock.Elapsed.TotalMinutes:F1} min).", always: true);
        return 0;
    }
}
