using Microsoft.ML.Autoencoders.Tests.Infrastructure;
using Microsoft.ML.Data;

namespace Microsoft.ML.Autoencoders.Tests.Denoising;

public class DenoisingAutoencoderTests
{
    [Fact]
    public void Learns_to_restore_masked_inputs_better_than_a_plain_autoencoder()
    {
        var ml = new MLContext(seed: 1);
        var train = ml.Data.LoadFromEnumerable(SyntheticData.LowRank(3000, seed: 21));
        var clean = SyntheticData.LowRank(500, seed: 22);
        var rng = new Random(5);
        var noisy = clean.Select(r => new VectorRow { Features = r.Features.Select(v => rng.NextDouble() < 0.25 ? 0f : v).ToArray() }).ToArray();
        var noisyView = ml.Data.LoadFromEnumerable(noisy);

        double ErrorAgainstClean(IDataView scored) =>
            Columns.Vectors(scored, "Denoised").Zip(clean, (d, c) => d.Zip(c.Features, (a, b) => (double)(a - b) * (a - b)).Sum()).Average();

        var common = new DenoisingAutoencoderOptions { EncoderLayers = [32], CodeSize = 3, Epochs = 25, BatchSize = 64, ReconstructionColumnName = "Denoised", CacheInMemory = true };
        common.Corruption = CorruptionKind.Masking;
        common.CorruptionLevel = 0.25;
        using var dae = ml.Transforms.DenoisingAutoencoder("Code", "Features", common).Fit(train);
        using var plain = ml.Transforms.AutoencoderFeaturizer("Code", "Features", new AutoencoderOptions
            { EncoderLayers = [32], CodeSize = 3, Epochs = 25, BatchSize = 64, ReconstructionColumnName = "Denoised", CacheInMemory = true }).Fit(train);

        double noisyError = noisy.Zip(clean, (n, c) => n.Features.Zip(c.Features, (a, b) => (double)(a - b) * (a - b)).Sum()).Average();
        double daeError = ErrorAgainstClean(dae.Transform(noisyView));
        double plainError = ErrorAgainstClean(plain.Transform(noisyView));
        Assert.True(daeError < noisyError / 3, $"denoised {daeError:F3} vs noisy {noisyError:F3}");
        Assert.True(daeError < plainError, $"denoising AE {daeError:F3} vs plain AE {plainError:F3}");
    }

    [Fact]
    public void Same_seed_reproduces_the_codes_while_other_trainings_run_on_parallel_threads()
    {
        // Corruption noise comes from torch's process-wide generator on every step, so unguarded parallel
        // trainings would interleave their draws.
        float[][] Codes(int seed)
        {
            var ml = new MLContext(seed: 1);
            var data = ml.Data.LoadFromEnumerable(SyntheticData.LowRank(1000, seed: 23));
            using var model = ml.Transforms.DenoisingAutoencoder("Code", "Features", new DenoisingAutoencoderOptions
                { EncoderLayers = [32], CodeSize = 3, Epochs = 10, BatchSize = 16, CacheInMemory = true, Seed = seed, CorruptionLevel = 0.3 }).Fit(data);
            return Columns.Vectors(model.Transform(data), "Code").ToArray();
        }

        var alone = Codes(7);
        var parallel = new float[4][][];
        Parallel.For(0, parallel.Length, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i => parallel[i] = Codes(i % 2 == 0 ? 7 : 8));
        Assert.Equal(alone, parallel[0]);
        Assert.Equal(alone, parallel[2]);
        Assert.Equal(parallel[1], parallel[3]);
        Assert.NotEqual(alone, parallel[1]);
    }

    [Fact]
    public void Kl_sparsity_holds_an_overcomplete_layer_near_the_target_activation()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(SyntheticData.LowRank(2000, seed: 23, unitInterval: true));
        double MeanActivation(AutoencoderOptions o)
        {
            using var model = ml.Transforms.AutoencoderFeaturizer("Code", "Features", o).Fit(data);
            return Columns.Vectors(model.Transform(data), "Code").SelectMany(c => c).Average(v => (double)v);
        }

        AutoencoderOptions Overcomplete(double? rho) => new()
        {
            EncoderLayers = [], CodeSize = 64, CodeActivation = ActivationFunction.Sigmoid, Epochs = 30, BatchSize = 64,
            SparsityTarget = rho, SparsityWeight = 3, CacheInMemory = true,
        };
        double sparse = MeanActivation(Overcomplete(0.05));
        double dense = MeanActivation(Overcomplete(null));
        Assert.InRange(sparse, 0.025, 0.075);
        Assert.True(dense > 0.15, $"without the penalty the mean activation is {dense:F3}");
    }

    [Fact]
    public void L1_penalty_shrinks_the_codes()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(SyntheticData.LowRank(1500, seed: 24));
        double MeanAbsCode(double l1)
        {
            using var model = ml.Transforms.AutoencoderFeaturizer("Code", "Features",
                new AutoencoderOptions { EncoderLayers = [32], CodeSize = 16, Epochs = 20, BatchSize = 64, CodeL1Penalty = l1, Seed = 3 }).Fit(data);
            return Columns.Vectors(model.Transform(data), "Code").SelectMany(c => c).Average(v => Math.Abs((double)v));
        }
        Assert.True(MeanAbsCode(0.3) < 0.5 * MeanAbsCode(0), "L1 should at least halve the mean |code|");
    }

    [Theory]
    [InlineData(CorruptionKind.Masking, 1.0)]
    [InlineData(CorruptionKind.Masking, -0.1)]
    [InlineData(CorruptionKind.SaltAndPepper, 1.5)]
    [InlineData(CorruptionKind.Gaussian, -0.5)]
    public void Corruption_levels_outside_their_range_are_rejected(CorruptionKind kind, double level)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new MLContext().Transforms.DenoisingAutoencoder("Code", "Features",
            new DenoisingAutoencoderOptions { Corruption = kind, CorruptionLevel = level }));
        Assert.Contains("Option 'CorruptionLevel'", e.Message);
    }

    [Theory]
    [InlineData(nameof(AutoencoderOptions.CodeL1Penalty))]
    [InlineData(nameof(AutoencoderOptions.SparsityWeight))]
    [InlineData(nameof(AutoencoderOptions.SparsityTarget))]
    public void Negative_penalties_and_bad_sparsity_targets_are_rejected(string option)
    {
        var o = new DenoisingAutoencoderOptions { CodeActivation = ActivationFunction.Sigmoid };
        switch (option)
        {
            case nameof(o.CodeL1Penalty): o.CodeL1Penalty = -1; break;
            case nameof(o.SparsityWeight): o.SparsityWeight = -1; break;
            case nameof(o.SparsityTarget): o.SparsityTarget = 1.2; break;
        }
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new MLContext().Transforms.DenoisingAutoencoder("Code", "Features", o));
        Assert.Contains($"Option '{option}'", e.Message);
    }

    [Fact]
    public void Kl_sparsity_without_a_sigmoid_code_layer_is_rejected()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new MLContext().Transforms.AutoencoderFeaturizer("Code", "Features",
            new AutoencoderOptions { SparsityTarget = 0.05 }));
        Assert.Contains("CodeActivation = Sigmoid", e.Message);
    }

    [Fact]
    public void Denoising_codes_feed_a_classifier_and_survive_save_and_load()
    {
        var ml = new MLContext(seed: 1);
        var train = TestData.MnistTrainView(ml, 2000);
        var test = TestData.MnistTestView(ml, 300);
        var model = ml.Transforms.DenoisingAutoencoder("Code", "Pixels", new DenoisingAutoencoderOptions
            {
                EncoderLayers = [128], CodeSize = 32, Epochs = 8, BatchSize = 64, CacheInMemory = true,
                Corruption = CorruptionKind.Masking, CorruptionLevel = 0.3, ReconstructionColumnName = "Denoised",
            })
            .Append(ml.MulticlassClassification.Trainers.LbfgsMaximumEntropy("Label", "Code"))
            .Fit(train);
        var scored = model.Transform(test);
        var metrics = ml.MulticlassClassification.Evaluate(scored);
        Assert.True(metrics.MicroAccuracy > 0.7, $"accuracy {metrics.MicroAccuracy:P1}");

        var path = Path.Combine(Path.GetTempPath(), $"ae-dae-{Guid.NewGuid():N}.zip");
        try
        {
            ml.Model.Save(model, train.Schema, path);
            var loaded = new MLContext().Model.LoadVerified(path, out _);
            var reScored = loaded.Transform(test);
            Assert.Equal(scored.GetColumn<uint>("PredictedLabel"), reScored.GetColumn<uint>("PredictedLabel"));
            Assert.Equal(Columns.Vectors(scored, "Denoised").SelectMany(v => v), Columns.Vectors(reScored, "Denoised").SelectMany(v => v));
        }
        finally
        {
            File.Delete(path);
        }
    }
}
