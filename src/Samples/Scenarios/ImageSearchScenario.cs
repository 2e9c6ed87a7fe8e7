using System.CommandLine;
using System.Diagnostics;
using AutoencoderSamples.Common;
using Microsoft.ML;
using Microsoft.ML.Autoencoders;
using Microsoft.ML.Autoencoders.Datasets;
using Microsoft.ML.Data;

namespace AutoencoderSamples.Scenarios;

/// <summary>
/// Similar-image search through an ML.NET image pipeline: a folder of PNG/JPEG files → LoadImages → ResizeImages →
/// ExtractPixels, then search by raw pixels, by PCA codes, by dense autoencoder codes and by convolutional
/// autoencoder codes (one code size), scored by precision@10 by label. By default the folder is MNIST written
/// out as PNG files (train = database, test = queries); <c>--images DIR</c> indexes any folder.
/// </summary>
internal static class ImageSearchScenario
{
    public static class Settings
    {
        public const int CodeSize = 30;
        /// <summary>
        /// Training epochs of each autoencoder. With 10 the dense codes' precision@10 stayed below raw pixels
        /// (0.952 vs 0.955, test SSE 8.2); with 25, 0.963 (SSE 5.39) in the full run: codes that reconstruct better retrieve better.
        /// </summary>
        public const int Epochs = 25;
        public const int QuickEpochs = 2;
        public const int QuickTrainRows = 4000;
        public const int QuickTestRows = 500;
        public const int K = 10;
        public const int FolderImageSize = 32;
        public static readonly int[] DenseEncoder = [1000, 500, 250];
        public static readonly ConvolutionalLayer[] ConvLayers = [new(16), new(32)];
    }

    public static Command Create()
    {
        var command = new Command("image-search", "Similar-image search: pixels vs PCA vs dense vs convolutional autoencoder codes, through ML.NET's image pipeline.");
        var output = SampleOptions.AddTo(command, Path.Combine("out", "image-search"));
        var images = new Option<string?>("--images") { Description = "Index this folder of images instead of MNIST (labels from sub-folder names; every 5th image is a query)." };
        var size = new Option<int>("--image-size") { Description = "Side images are resized to with --images.", DefaultValueFactory = _ => Settings.FolderImageSize };
        var validation = new Option<bool>("--validation") { Description = "Choose settings without the MNIST test set: the first five sixths of the training digits are the database, the last sixth the queries." };
        command.Options.Add(images);
        command.Options.Add(size);
        command.Options.Add(validation);
        command.Validators.Add(result =>
        {
            if (result.GetValue(validation) && result.GetValue(images) is not null)
                result.AddError("--validation splits MNIST's training digits; with --images the folder's own split is used (every 5th image is a query).");
        });
        var shift = new Option<int?>("--augment-shift") { Description = "Train the three autoencoders on images moved by up to this many pixels; 0 turns augmentation off. Default: none for MNIST, the library's (1 pixel) for --images." };
        var flip = new Option<bool>("--augment-flip") { Description = "Also mirror half of the training images left-right (photos, not digits)." };
        var positionDropout = new Option<double?>("--position-dropout") { Description = $"Share of training rows the unpooling decoder gets without the pooling positions (default: the library's, {ConvolutionalAutoencoderFeaturizer.Defaults.PositionDropout}; 0: plain unpooling)." };
        command.Options.Add(shift);
        command.Options.Add(flip);
        command.Options.Add(positionDropout);
        command.SetAction(result => Run(SampleOptions.From(result, output), result.GetValue(images), result.GetValue(size), result.GetValue(shift), result.GetValue(flip), result.GetValue(positionDropout), result.GetValue(validation)));
        return command;
    }

    public static int Run(SampleOptions o, string? imageFolder = null, int imageSize = Settings.FolderImageSize, int? augmentShift = null, bool augmentFlip = false, double? positionDropout = null, bool validation = false)
    {
        var clock = Stopwatch.StartNew();
        var ml = new MLContext(seed: o.Seed);
        var report = new RunReport(o.OutputDirectory, "Similar-image search with autoencoder codes");
        var display = new TrainingDisplay(o.Quiet);
        int epochs = o.Epochs ?? (o.Quick ? Settings.QuickEpochs : Settings.Epochs);   // MNIST; a folder's are automatic unless --epochs

        // ---- Files → pixels through ML.NET's image transforms --------------------------------------------
        bool mnist = imageFolder is null;
        if (validation && !mnist) throw new ArgumentException("--validation splits MNIST's training digits; with --images the folder's own split is used (every 5th image is a query).");
        var split = mnist ? MnistAsPngs(o, report, validation) : ImageSplit.Of(imageFolder!, o);
        var Load = ImageFolderPixels.Loader(ml, side: mnist ? 28 : imageSize, grayscale: mnist, split.Database[0]);
        var loadClock = Stopwatch.StartNew();
        var database = Load(split.Database);
        var queries = Load(split.Queries);
        var databasePixels = VectorData.Column(database, "Pixels");
        var queryPixels = VectorData.Column(queries, "Pixels");
        var pixelType = (VectorDataViewType)database.Schema["Pixels"].Type;
        o.Say($"Loaded {databasePixels.Length} database and {queryPixels.Length} query images through LoadImages → ResizeImages → ExtractPixels " +
              $"({string.Join('×', pixelType.Dimensions)}) in {loadClock.Elapsed.TotalSeconds:F0} s.");
        var databaseLabels = split.Database.Select(f => f.Label).ToArray();
        var queryLabels = split.Queries.Select(f => f.Label).ToArray();

        // Small folders need small batches to take enough steps; MNIST-sized ones use 128.
        int batchSize = Math.Clamp(databasePixels.Length / 20, 8, 128);

        // ---- Codes ------------------------------------------------------------------------------------------
        var codes = new List<(string Key, string Name, float[][] Database, float[][] Queries)>
        {
            ("pixels", $"raw pixels ({pixelType.Size} values)", databasePixels, queryPixels),
        };
        var pca = PcaBaseline.Fit(ml, database, "Pixels", Settings.CodeSize, o.Seed);
        var pcaQueries = pca.Encode(queries);
        double pcaSse = Metrics.MeanSummedSquaredError(queryPixels, pcaQueries.Select(pca.Reconstruct).ToArray());
        codes.Add(("pca", $"PCA, {Settings.CodeSize} components", pca.Encode(database), pcaQueries));

        // MNIST: the recipe measured for it (Settings). A folder: the library's defaults, which adapt to the data
        // (batch size, optimiser steps, augmentation of image columns) — only the code size, seed and outputs are set.
        T Configure<T>(T options) where T : AutoencoderOptions
        {
            options.CodeSize = Settings.CodeSize;
            options.Seed = o.Seed;
            options.CacheInMemory = true;
            options.ReconstructionErrorColumnName = "Error";
            if (mnist)
            {
                options.Epochs = epochs;
                options.BatchSize = batchSize;
                options.LearningRateSchedule = LearningRateSchedule.Cosine;
                options.Augmentation = null;
            }
            if (o.Epochs is int e) options.Epochs = e;
            if (augmentShift is not null || augmentFlip)
            {
                int k = augmentShift ?? 1;
                options.Augmentation = k > 0 || augmentFlip ? new ImageAugmentation { MaxShift = k, HorizontalFlip = augmentFlip } : null;
            }
            return options;
        }
        var denseOptions = Configure(mnist ? new AutoencoderOptions { EncoderLayers = Settings.DenseEncoder } : new AutoencoderOptions());
        var denseLayers = denseOptions.EncoderLayers ?? AutoencoderFeaturizer.Defaults.AutomaticEncoderLayers(pixelType.Size, Settings.CodeSize);
        using var dense = display.Run($"dense {pixelType.Size}-{string.Join('-', denseLayers)}-{Settings.CodeSize}", denseOptions,
            () => ml.Transforms.AutoencoderFeaturizer("Code", "Pixels", denseOptions).Fit(database));
        var convOptions = Configure(mnist ? new ConvolutionalAutoencoderOptions { ConvolutionalLayers = Settings.ConvLayers } : new ConvolutionalAutoencoderOptions());
        if (positionDropout is double dropout) convOptions.PositionDropout = dropout;
        var convLayers = convOptions.ConvolutionalLayers;
        var convTrainClock = Stopwatch.StartNew();
        using var conv = display.Run("convolutional, unpooling decoder", convOptions,
            () => ml.Transforms.ConvolutionalAutoencoderFeaturizer("Code", "Pixels", convOptions).Fit(database));
        double convSeconds = convTrainClock.Elapsed.TotalSeconds;
        var upsampleOptions = Configure(mnist
            ? new ConvolutionalAutoencoderOptions { ConvolutionalLayers = Settings.ConvLayers, Decoder = ConvolutionalDecoder.Upsampling }
            : new ConvolutionalAutoencoderOptions { Decoder = ConvolutionalDecoder.Upsampling });
        using var upsample = display.Run("convolutional, upsampling decoder", upsampleOptions,
            () => ml.Transforms.ConvolutionalAutoencoderFeaturizer("Code", "Pixels", upsampleOptions).Fit(database));

        var autoencoders = new (string Key, string Name, AutoencoderTransformer Model)[]
        {
            ("dense_ae", $"dense autoencoder {pixelType.Size}-{string.Join('-', denseLayers)}-{Settings.CodeSize}", dense),
            ("conv_ae", $"convolutional autoencoder {Describe(convLayers)}-{Settings.CodeSize}, unpooling decoder (position dropout {convOptions.PositionDropout})", conv),
            ("conv_upsample_ae", $"convolutional autoencoder {Describe(convLayers)}-{Settings.CodeSize}, upsampling decoder", upsample),
        };
        List<string[]> sseRows = [["PCA", $"{pcaSse:F2}", $"{Settings.CodeSize * pixelType.Size + pixelType.Size:N0} (basis + mean)"]];
        foreach (var (key, name, model) in autoencoders)
        {
            // Queries: one scored pass, cached, gives both the error and the code columns. Database: the batch encoder
            // (many rows per ONNX Runtime call) over the pixels already in memory.
            var scored = ml.Data.Cache(model.Transform(queries), "Error", "Code");
            double sse = VectorData.Column(scored, "Error").Average(e => (double)e[0]);
            using var encoder = model.CreateBatchEncoder();
            codes.Add((key, name, encoder.Encode(databasePixels), VectorData.Column(scored, "Code")));
            report.Set($"{key}_test_sse", Math.Round(sse, 4));
            report.Set($"{key}_params", model.ParameterCount);
            sseRows.Add([name, $"{sse:F2}", $"{model.ParameterCount:N0}"]);
            o.Say($"{name}: query-set reconstruction error {sse:F2}, {model.ParameterCount:N0} parameters.");
        }
        report.Set("pca_test_sse", Math.Round(pcaSse, 4));

        // ---- Search -----------------------------------------------------------------------------------------
        var searchRows = new List<string[]>();
        var sheetQueries = queryLabels.Select((label, i) => (label, i)).GroupBy(p => p.label).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => g.First().i).Take(10).ToArray();
        foreach (var (key, name, databaseCodes, queryCodes) in codes)
        {
            var index = CodeIndex.Create(databaseCodes, CodeDistance.Cosine);
            var searchClock = Stopwatch.StartNew();
            var hits = index.Search(queryCodes, Settings.K);
            double seconds = searchClock.Elapsed.TotalSeconds;
            double precision = hits.Select((h, q) => h.Count(x => databaseLabels[x.Row] == queryLabels[q]) / (double)Settings.K).Average();
            report.Set($"{key}_p_at_10", Math.Round(precision, 4));
            report.Set($"{key}_queries_per_second", Math.Round(queryCodes.Length / seconds));
            searchRows.Add([name, $"{precision:P1}", $"{queryCodes.Length / seconds:N0}"]);
            o.Say($"{name}: precision@{Settings.K} {precision:P1} ({queryCodes.Length / seconds:N0} queries/s).");
            ContactSheet.Save(report.PathOf($"search_{key}.png"), $"{name}: precision@{Settings.K} {precision:P1}",
                sheetQueries.Select(q => (split.Queries[q].ImagePath, queryLabels[q],
                    (IReadOnlyList<(string, string)>)hits[q].Select(h => (split.Database[h.Row].ImagePath, databaseLabels[h.Row])).ToArray())).ToArray());
        }

        // ---- Report -----------------------------------------------------------------------------------------
        report.Set("code_size", Settings.CodeSize);
        // Automatic epochs (a folder) are read back from the training history; the epoch count of each model is its last report.
        string epochsText = string.Join(" / ", autoencoders.Select(a => a.Model.TrainingHistory.Count > 0 ? a.Model.TrainingHistory[^1].TotalEpochs : 0));
        report.Set("epochs", mnist ? epochs : autoencoders[0].Model.TrainingHistory[^1].TotalEpochs);
        report.Set("augment_shift", denseOptions.Augmentation?.MaxShift ?? 0);
        report.Set("position_dropout", convOptions.PositionDropout);
        report.Set("conv_ae_train_seconds", Math.Round(convSeconds, 1));
        report.Set("database_rows", databasePixels.Length);
        report.Set("query_rows", queryPixels.Length);
        report.Set("image_source", mnist ? "mnist" : Path.GetFullPath(imageFolder!));
        report.Set("validation_split", validation);
        report.Set("quick", o.Quick);
        report.Set("seed", o.Seed);
        report.Set("total_seconds", Math.Round(clock.Elapsed.TotalSeconds, 1));

        string source = !mnist ? "folder " + Path.GetFullPath(imageFolder!)
            : validation ? "MNIST written out as PNG files, validation split (the first five sixths of the training digits = database, the last sixth = queries; the test set is not read)"
            : "MNIST written out as PNG files (training digits = database, test digits = queries)";
        report.Line($"Images: {source}, " +
                $"loaded through ML.NET's LoadImages → ResizeImages → ExtractPixels ({string.Join('×', pixelType.Dimensions)}). " +
                $"Database {databasePixels.Length} images, {queryPixels.Length} queries, {epochsText} epochs (dense / unpooling / upsampling), {(denseOptions.Augmentation is { } aug ? $"training images shifted by up to {aug.MaxShift} pixel(s)" + (aug.HorizontalFlip ? " and mirrored" : "") : "no augmentation")}, seed {o.Seed}" + (o.Quick ? " (quick mode: a smoke run)." : "."))
            .Line()
            .Line($"Each query's {Settings.K} nearest database images by cosine distance; precision@{Settings.K} is the fraction of them with the query's label, averaged over the queries.")
            .Line()
            .Table(["search by", $"precision@{Settings.K}", "queries/s"], searchRows)
            .Line("## Reconstruction at one code size")
            .Line()
            .Line("Squared error summed over the pixels (in [0, 1]), averaged over the query images. The unpooling decoder also receives " +
                  "the encoder's max-pooling positions, so its reconstruction uses more than the code; the upsampling decoder's uses the code alone.")
            .Line()
            .Table(["model", "reconstruction error", "parameters"], sseRows)
            .Line("## Top 10 per method (green frame: same label as the query)")
            .Line();
        foreach (var (key, name, _, _) in codes) report.Image(name, $"search_{key}.png");
        report.Write();
        o.Say($"Wrote {report.PathOf("report.md")} and results.json ({clock.Elapsed.TotalMinutes:F1} min).", always: true);
        return 0;
    }

    private static string Describe(IEnumerable<ConvolutionalLayer> layers) =>
        "conv" + string.Join('-', layers.Select(l => $"{l.Channels}x{l.KernelSize}/pool{l.PoolSize}"));

    /// <summary>MNIST as PNG files: training digits → database, test digits → queries; with <paramref name="validation"/> the last sixth of the training digits are the queries instead.</summary>
    private static ImageSplit MnistAsPngs(SampleOptions o, RunReport report, bool validation)
    {
        var (train, test) = o.ReadMnist(validation, Settings.QuickTrainRows, Settings.QuickTestRows);
        // Its own folder: the PNG cache is keyed by file count, and a validation run holds other digits than a test run.
        var root = report.PathOf(validation ? "validation-images" : "images");
        var clock = Stopwatch.StartNew();
        DigitPngs.Write(Path.Combine(root, "train"), train);
        DigitPngs.Write(Path.Combine(root, "test"), test);
        o.Say($"MNIST as PNG files under {root} ({clock.Elapsed.TotalSeconds:F0} s).");
        return new ImageSplit(ImageFolder.List(Path.Combine(root, "train")), ImageFolder.List(Path.Combine(root, "test")));
    }
}
