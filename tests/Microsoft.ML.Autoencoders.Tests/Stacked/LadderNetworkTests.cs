using Microsoft.ML.Autoencoders.Datasets;
using Microsoft.ML.Autoencoders.Stacked.Training;
using Microsoft.ML.Autoencoders.Tests.Infrastructure;
using static Microsoft.ML.Autoencoders.Tests.Infrastructure.FewLabelDigits;
using Microsoft.ML.Autoencoders.Training;
using Microsoft.ML.Autoencoders.Training.Data;
using Microsoft.ML.Autoencoders.Training.Networks;
using Microsoft.ML.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.Autoencoders.Tests.Stacked;

/// <summary>The Ladder network: shared clean / corrupted encoders, targets without gradient, folding, and what unlabelled rows buy.</summary>
public sealed class LadderNetworkTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("ae-ladder-");

    public void Dispose() => _dir.Delete(recursive: true);

    private static StackedPretrainerOptions Ladder(double[]? weights = null) => new()
    {
        EncoderLayers = [200], CodeSize = 100, Activation = ActivationFunction.ReLU, CodeActivation = ActivationFunction.ReLU,
        Pretrain = false, FineTuning = StackedFineTuning.Ladder, LadderReconstructionWeights = weights,
        BatchSize = 100, FineTuningBatchSize = 50, FineTuningEpochs = 8, FineTuningLearningRate = 2e-3, CacheInMemory = true, Seed = 5,
    };

    private static LadderNetwork SmallLadder(int seed)
    {
        using var generator = TorchRandomness.Seed(seed);
        return new LadderNetwork([6, 5, 4, 3], ActivationFunction.ReLU, ActivationFunction.Tanh);
    }

    [Fact]
    public void The_clean_and_corrupted_passes_share_their_weights()
    {
        using var ladder = SmallLadder(1);
        using var scope = NewDisposeScope();
        var x = randn(8, 6, generator: new Generator(2));
        var (logits, z, _, _) = ladder.Clean(x, null);
        var (noiseless, zTilde) = ladder.Corrupted(x, 0);
        Assert.True(allclose(logits, noiseless));
        for (int l = 0; l < z.Length; l++) Assert.True(allclose(z[l], zTilde[l]), $"layer {l}");
        // With noise the passes differ, and a change to a weight moves both.
        Assert.False(allclose(logits, ladder.Corrupted(x, 0.3).Logits));
        using (no_grad()) foreach (var p in ladder.parameters()) p.add_(0.05);
        Assert.True(allclose(ladder.Clean(x, null).Logits, ladder.Corrupted(x, 0).Logits));
        Assert.False(allclose(logits, ladder.Clean(x, null).Logits));
    }

    [Fact]
    public void The_denoising_targets_are_the_clean_batch_normalised_activations_without_gradient()
    {
        using var ladder = SmallLadder(3);
        using var scope = NewDisposeScope();
        var x = randn(10, 6, generator: new Generator(4));
        var labels = tensor(new long[] { 0, 1, 2, 0 });
        double[] lambda = [1, 2, 3, 4];
        using (TorchRandomness.Seed(9))
        {
            ladder.zero_grad();
            LadderTraining.Cost(ladder, x, labels, lambda, 0, 0.3).backward();
        }
        var actual = ladder.parameters().Select(p => p.grad!.clone()).ToArray();

        // The same cost written out, the clean pass computed without gradient (the same noise: same seed, same order of draws):
        // the 4 labelled rows normalised apart, denoising costs on the 6 others.
        ladder.zero_grad();
        using (TorchRandomness.Seed(9))
        {
            Tensor[] z, mean, std;
            using (no_grad()) (_, z, mean, std) = ladder.Clean(x, null, 4);
            var (corruptedLogits, corrupted) = ladder.Corrupted(x, 0.3, 4);
            var zHat = ladder.Decode(corrupted.Select(t => t.narrow(0, 4, 6)).ToArray(), corruptedLogits.narrow(0, 4, 6), 0);
            var cost = nn.functional.cross_entropy(corruptedLogits.narrow(0, 0, 4), labels);
            for (int l = 0; l < 4; l++)
                cost = cost + lambda[l] * ((l == 0 ? zHat[0]! : (zHat[l]! - mean[l]) / std[l]) - z[l].narrow(0, 4, 6)).square().mean();
            cost.backward();
        }
        var expected = ladder.parameters().Select(p => p.grad!.clone()).ToArray();
        for (int i = 0; i < actual.Length; i++) Assert.True(allclose(actual[i], expected[i], rtol: 1e-4, atol: 1e-6), $"parameter {i}");
        Assert.Contains(actual, g => g.abs().sum().item<float>() > 0);
    }

    [Fact]
    public void Folding_the_population_statistics_gives_the_clean_path()
    {
        using var ladder = SmallLadder(6);
        var rows = Enumerable.Range(0, 40).Select(i => Enumerable.Range(0, 6).Select(j => (float)Math.Sin(i * 0.7 + j * 1.3) * (1 + j)).ToArray()).ToArray();
        var ml = new MLContext(seed: 1);
        var schema = SchemaDefinition.Create(typeof(VectorRow));
        schema["Features"].ColumnType = new VectorDataViewType(NumberDataViewType.Single, 6);
        var view = ml.Data.LoadFromEnumerable(rows.Select(r => new VectorRow { Features = r }), schema);
        using var source = new InMemoryBatchSource(view, "Features", 6, rows.Length, 16, seed: 1);
        var population = LadderTraining.PopulationStatistics(ladder, source);
        var options = new StackedPretrainerOptions { EncoderLayers = [5], CodeSize = 4, Activation = ActivationFunction.ReLU, CodeActivation = ActivationFunction.Tanh };
        var (body, softmax) = LadderTraining.Fold(ladder, population, 6, options, ReconstructionOutput.Linear);
        using (body)
        using (var scope = NewDisposeScope())
        using (no_grad())
        {
            var x = tensor(rows.SelectMany(r => r).ToArray(), [rows.Length, 6]);
            var expected = ladder.Clean(x, population).Logits;
            var code = body.Encode(x);
            var logits = code.matmul(tensor(softmax.Weights.SelectMany(w => w).ToArray(), [3, 4]).t()) + tensor(softmax.Bias);
            Assert.True(allclose(expected, logits, rtol: 1e-4, atol: 1e-5), $"max difference {(expected - logits).abs().max().item<float>()}");
            // The population statistics are those of the whole data: layer 1's pre-activations have mean μ and deviation σ.
            var pre = ladder.PreActivation(x, 1, population);
            Assert.True(allclose(pre.mean([0]), tensor(population.Mean[1]), atol: 1e-5));
        }
    }

    [Fact]
    public void Unlabelled_rows_make_the_ladder_better_than_the_same_training_without_them()
    {
        var ml = new MLContext(seed: 1);
        // 3,000 images, 50 labelled: the same network, noise and steps, with the denoising costs (unlabelled rows used) and without.
        using var ladder = ml.Transforms.StackedPretrainer("Features", "Pixels", Ladder()).Fit(Semi(ml, 50));
        using var supervisedOnly = ml.Transforms.StackedPretrainer("Features", "Pixels", Ladder([0, 0, 0, 0])).Fit(Semi(ml, 50));
        double withUnlabelled = ml.MulticlassClassification.Evaluate(ladder.Transform(TestView(ml))).MicroAccuracy;
        double without = ml.MulticlassClassification.Evaluate(supervisedOnly.Transform(TestView(ml))).MicroAccuracy;
        Assert.True(withUnlabelled > without + 0.03, $"ladder {withUnlabelled:P1} vs without the unlabelled rows' costs {without:P1}");
    }

    [Fact]
    public void A_ladder_scores_through_onnx_the_same_after_save_and_load_and_the_same_seed_gives_the_same_model()
    {
        var ml = new MLContext(seed: 1);
        var options = Ladder();
        options.FineTuningEpochs = 2;
        using var model = ml.Transforms.StackedPretrainer("Features", "Pixels", options).Fit(Semi(ml, 100));
        var test = TestView(ml);
        var scored = model.Transform(test);
        var metrics = ml.MulticlassClassification.Evaluate(scored);
        Assert.True(metrics.MicroAccuracy > 0.5, $"accuracy {metrics.MicroAccuracy:P1}");
        var path = Path.Combine(_dir.FullName, "ladder.zip");
        ml.Model.Save(model, test.Schema, path);
        var loaded = new MLContext().Model.LoadVerified(path, out _);
        var before = scored.GetColumn<float[]>("Score").ToArray();
        Assert.Equal(before, loaded.Transform(test).GetColumn<float[]>("Score").ToArray());
        (loaded as IDisposable)?.Dispose();
        var sameSeed = Ladder();
        sameSeed.FineTuningEpochs = 2;
        using var again = ml.Transforms.StackedPretrainer("Features", "Pixels", sameSeed).Fit(Semi(ml, 100));
        Assert.Equal(before, again.Transform(test).GetColumn<float[]>("Score").ToArray());
    }

    [Fact]
    public void Ladder_settings_that_cannot_work_are_named()
    {
        var ml = new MLContext(seed: 1);
        var wrongCount = Ladder([1, 1]);
        Assert.Contains("LadderReconstructionWeights", Assert.Throws<ArgumentOutOfRangeException>(() => ml.Transforms.StackedPretrainer("Features", "Pixels", wrongCount).Fit(Semi(ml, 20))).Message);
        var negative = Ladder([1, -1, 0, 0]);
        Assert.Contains("LadderReconstructionWeights", Assert.Throws<ArgumentOutOfRangeException>(() => ml.Transforms.StackedPretrainer("Features", "Pixels", negative)).Message);
        var noise = Ladder();
        noise.LadderNoise = double.NaN;
        Assert.Contains("LadderNoise", Assert.Throws<ArgumentOutOfRangeException>(() => ml.Transforms.StackedPretrainer("Features", "Pixels", noise)).Message);
        var dropout = Ladder();
        dropout.FineTuningDropout = 0.2;
        Assert.Contains("FineTuningDropout", Assert.Throws<ArgumentOutOfRangeException>(() => ml.Transforms.StackedPretrainer("Features", "Pixels", dropout)).Message);
    }
}
