using Microsoft.ML.Autoencoders;
using Microsoft.ML;
using System.CommandLine;
using System.Diagnostics;
using Microsoft.ML.Autoencoders.Datasets;
using AutoencoderSamples.Common;
using Spectre.Console;

namespace AutoencoderSamples.Scenarios;

/// <summary>
/// Denoising and sparsity on MNIST: a plain autoencoder vs denoising autoencoders on digits corrupted with 50%
/// masking noise and with Gaussian noise (σ = 0.5), and an over-complete 784-1000 layer with and without
/// KL sparsity, with its first-layer filters drawn as an image.
/// </summary>
internal static class DenoiseScenario
{
    public static class Settings
    {
        public const int Epochs = 20;
        public const int SparseEpochs = 10;
        public const int QuickEpochs = 2;
        public const double MaskFraction = 0.5;
        public const double GaussianSigma = 0.5;
        public const double SparsityTarget = 0.05;
        public const double SparsityWeight = 3;
        /// <summary>A code value below this counts as "near zero".</summary>
        public const float NearZero = 0.01f;
        public static readonly int[] Encoder = [1000, 500, 250];
        public const int CodeSize = 30;
    }

    public static Command Create()
    {
        var command = new Command("denoise", "MNIST: denoising autoencoders vs a plain one on corrupted digits; sparse over-complete filters.");
        var output = SampleOptions.AddTo(command, Path.Combine("out", "denoise"));
        command.SetAction(result => Run(SampleOptions.From(result, output)));
        return command;
    }

    public static int Run(SampleOptions o)
    {
        var clock = Stopwatch.StartNew();
        var ml = new MLContext(seed: o.Seed);
        var dataDir = o.MnistDirectory();
        var trainImages = Mnist.ReadImages(dataDir, MnistSplit.Train, o.Quick ? 4000 : null);
        var testImages = Mnist.ReadImages(dataDir, MnistSplit.Test, o.Quick ? 1000 : null);
        var train = ml.Data.LoadFromEnumerable(trainImages);
        var clean = testImages.Select(i => i.Pixels).ToArray();
        int epochs = o.Epochs ?? (o.Quick ? Settings.QuickEpochs : Settings.Epochs);
        int sparseEpochs = o.Epochs ?? (o.Quick ? Settings.QuickEpochs : Settings.SparseEpochs);
        var display = new TrainingDisplay(o.Quiet);
        var report = new RunReport(o.OutputDirectory, "MNIST: denoising and sparse autoencoders");

        var rng = new Random(o.Seed);
        var masked = clean.Select(x => x.Select(v => rng.NextDouble() < Settings.MaskFraction ? 0f : v).ToArray()).ToArray();
        var gaussian = clean.Select(x => x.Select(v => Math.Clamp(v + (float)(Settings.GaussianSigma * Gaussian(rng)), 0f, 1f)).ToArray()).ToArray();

        AutoencoderTransformer Train(string title, AutoencoderOptions options, Func<AutoencoderOptions, IEstimator<AutoencoderTransformer>> estimator) =>
            display.Run(title, options, () => estimator(options).Fit(train));

        int batchSize = o.Quick ? 64 : 256; // quick mode: more, smaller steps so two epochs on 4k images already learn
        using var plain = Train("plain autoencoder", Options(new AutoencoderOptions(), epochs, batchSize, o.Seed),
            opt => ml.Transforms.AutoencoderFeaturizer("Code", "Pixels", opt));
        using var daeMask = Train("denoising, 50% masking", Options(new DenoisingAutoencoderOptions { Corruption = CorruptionKind.Masking, CorruptionLevel = Settings.MaskFraction }, epochs, batchSize, o.Seed),
            opt => ml.Transforms.DenoisingAutoencoder("Code", "Pixels", (DenoisingAutoencoderOptions)opt));
        using var daeGauss = Train("denoising, Gaussian σ=0.5", Options(new DenoisingAutoencoderOptions { Corruption = CorruptionKind.Gaussian, CorruptionLevel = Settings.GaussianSigma }, epochs, batchSize, o.Seed),
            opt => ml.Transforms.DenoisingAutoencoder("Code", "Pixels", (DenoisingAutoencoderOptions)opt));

        float[][] Reconstruct(AutoencoderTransformer model, float[][] inputs) =>
            VectorData.Column(model.Transform(VectorData.ToDataView(ml, inputs, "Pixels", MnistImage.PixelCount)), "Reconstruction");

        var rows = new List<string[]>();
        void Measure(string prefix, string noiseName, float[][] noisy, AutoencoderTransformer dae)
        {
            var plainOut = Reconstruct(plain, noisy);
            var daeOut = Reconstruct(dae, noisy);
            double noisyMse = Metrics.MeanSquaredError(clean, noisy), plainMse = Metrics.MeanSquaredError(clean, plainOut), daeMse = Metrics.MeanSquaredError(clean, daeOut);
            report.Set($"{prefix}_noisy_mse", Math.Round(noisyMse, 5));
            report.Set($"{prefix}_plain_ae_mse", Math.Round(plainMse, 5));
            report.Set($"{prefix}_dae_mse", Math.Round(daeMse, 5));
            report.Set($"{prefix}_noisy_psnr", Math.Round(Metrics.Psnr(noisyMse), 2));
            report.Set($"{prefix}_plain_ae_psnr", Math.Round(Metrics.Psnr(plainMse), 2));
            report.Set($"{prefix}_dae_psnr", Math.Round(Metrics.Psnr(daeMse), 2));
            foreach (var (name, mse) in new[] { ("noisy input", noisyMse), ("plain autoencoder", plainMse), ("denoising autoencoder", daeMse) })
                rows.Add([noiseName, name, $"{mse:F4}", $"{mse * MnistImage.PixelCount:F2}", $"{Metrics.Psnr(mse):F2}"]);
            var examples = Enumerable.Range(0, 10).Select(d => testImages.Select((img, i) => (img, i)).First(p => p.img.Digit == d).i).ToArray();
            DigitGrid.Save(report.PathOf($"{prefix}.png"),
            [
                ("clean", examples.Select(i => clean[i]).ToArray()),
                ("noisy", examples.Select(i => noisy[i]).ToArray()),
                ("plain AE", examples.Select(i => plainOut[i]).ToArray()),
                ("denoising AE", examples.Select(i => daeOut[i]).ToArray()),
            ]);
            o.Say($"{noiseName}: MSE noisy {noisyMse:F4}, plain AE {plainMse:F4}, denoising AE {daeMse:F4}.");
        }
        Measure("mask50", "50% masking", masked, daeMask);
        Measure("gauss05", "Gaussian σ = 0.5", gaussian, daeGauss);

        // ---- Over-complete 784-1000 with and without KL sparsity ---------------------------------------
        AutoencoderOptions Overcomplete(double? rho) => new()
        {
            EncoderLayers = [], CodeSize = 1000, CodeActivation = ActivationFunction.Sigmoid, Epochs = sparseEpochs, BatchSize = 128,
            SparsityTarget = rho, SparsityWeight = Settings.SparsityWeight, CacheInMemory = true, Seed = o.Seed,
        };
        var test = ml.Data.LoadFromEnumerable(testImages);
        var sparseRows = new List<string[]>();
        foreach (var (name, rho) in new[] { ("sparse", (double?)Settings.SparsityTarget), ("dense", null) })
        {
            var options = Overcomplete(rho);
            using var model = display.Run($"784-1000 {name}", options, () => ml.Transforms.AutoencoderFeaturizer("Code", "Pixels", options).Fit(train));
            var codes = VectorData.Column(model.Transform(test), "Code");
            double mean = codes.SelectMany(c => c).Average(v => (double)v);
            double nearZero = codes.SelectMany(c => c).Count(v => v < Settings.NearZero) / (double)(codes.Length * 1000);
            report.Set($"{name}_mean_activation", Math.Round(mean, 4));
            report.Set($"{name}_near_zero_fraction", Math.Round(nearZero, 4));
            DigitGrid.SaveTiles(report.PathOf($"filters_{name}.png"), model.GetFirstLayerFilters(), columns: 40);
            sparseRows.Add([name == "sparse" ? $"KL sparsity ρ = {rho}, β = {Settings.SparsityWeight}" : "no sparsity penalty", $"{mean:F4}", $"{nearZero:P1}"]);
            o.Say($"784-1000 {name}: mean code activation {mean:F4}, near-zero fraction {nearZero:P1}.");
        }
        report.Set("sparse_target_rho", Settings.SparsityTarget);
        report.Set("epochs", epochs);
        report.Set("quick", o.Quick);
        report.Set("seed", o.Seed);
        report.Set("train_rows", trainImages.Count);
        report.Set("test_rows", testImages.Count);
        report.Set("total_seconds", Math.Round(clock.Elapsed.TotalSeconds, 1));

        report.Line($"Training images: {trainImages.Count}, test images: {testImages.Count}, {epochs} epochs, seed {o.Seed}" + (o.Quick ? " (quick mode: a smoke run)." : "."))
            .Line()
            .Line($"All three networks are 784-{string.Join('-', Settings.Encoder)}-{Settings.CodeSize} with a mirrored decoder. The plain autoencoder is trained on clean digits; " +
                  "each denoising autoencoder on digits corrupted afresh every mini-batch with the noise it is tested on. Errors are measured against the clean test digits: " +
                  "MSE is the squared error averaged over pixels (in [0, 1]), SSE the same summed over the 784 pixels, PSNR = 10·log10(1/MSE).")
            .Line()
            .Table(["noise", "output", "MSE", "SSE per image", "PSNR (dB)"], rows)
            .Image("50% masking: clean / noisy / plain / denoising", "mask50.png")
            .Image("Gaussian σ=0.5: clean / noisy / plain / denoising", "gauss05.png")
            .Line("## Over-complete 784-1000 layer")
            .Line()
            .Line($"A single sigmoid layer of 1000 units (more than the 784 inputs), {sparseEpochs} epochs. Near zero: activation below {Settings.NearZero}.")
            .Line()
            .Table(["penalty", "mean code activation", "near-zero activations"], sparseRows)
            .Image("filters with sparsity", "filters_sparse.png")
            .Image("filters without sparsity", "filters_dense.png");
        report.Write();
        o.Say($"Wrote {report.PathOf("report.md")} and results.json ({clock.Elapsed.TotalMinutes:F1} min).", always: true);
        return 0;
    }

    private static AutoencoderOptions Options(AutoencoderOptions options, int epochs, int batchSize, int seed)
    {
        options.EncoderLayers = Settings.Encoder;
        options.CodeSize = Settings.CodeSize;
        options.Epochs = epochs;
        options.BatchSize = batchSize;
        options.LearningRate = 2e-3;
        options.LearningRateSchedule = LearningRateSchedule.Cosine;
        options.CacheInMemory = true;
        options.Seed = seed;
        options.ReconstructionColumnName = "Reconstruction";
        return options;
    }

    private static double Gaussian(Random rng) => Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
}
