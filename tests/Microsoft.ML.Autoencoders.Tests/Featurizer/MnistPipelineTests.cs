using System.Globalization;
using Microsoft.ML.Autoencoders.Tests.Infrastructure;

namespace Microsoft.ML.Autoencoders.Tests.Featurizer;

/// <summary>
/// The user's pipeline on real data: featurizer → LbfgsMaximumEntropy on MNIST, evaluated, saved, loaded in a
/// fresh MLContext and in a separate process, with identical metrics and codes.
/// </summary>
public class MnistPipelineTests
{
    [Fact]
    public void Featurizer_then_classifier_survives_save_and_load_in_this_and_another_process()
    {
        var ml = new MLContext(seed: 1);
        var train = TestData.MnistTrainView(ml, 3000);
        var test = TestData.MnistTestView(ml, 500);
        var pipeline = ml.Transforms.AutoencoderFeaturizer("Code", "Pixels",
                new AutoencoderOptions { EncoderLayers = [256, 64], CodeSize = 30, Epochs = 10, BatchSize = 64, CacheInMemory = true })
            .Append(ml.MulticlassClassification.Trainers.LbfgsMaximumEntropy("Label", "Code"));
        var model = pipeline.Fit(train);
        var scored = model.Transform(test);
        var metrics = ml.MulticlassClassification.Evaluate(scored);
        Assert.True(metrics.MicroAccuracy > 0.75, $"accuracy {metrics.MicroAccuracy:P1} on 30-d codes");
        var codes = Columns.Vectors(scored, "Code");

        var dir = Directory.CreateTempSubdirectory("ae-model-");
        try
        {
            var modelPath = Path.Combine(dir.FullName, "model.zip");
            ml.Model.Save(model, train.Schema, modelPath);

            // Same process, fresh MLContext.
            var fresh = new MLContext();
            var loaded = fresh.Model.Load(modelPath, out var inputSchema);
            Assert.NotNull(inputSchema.GetColumnOrNull("Pixels"));
            var reScored = loaded.Transform(TestData.MnistTestView(fresh, 500));
            var reMetrics = fresh.MulticlassClassification.Evaluate(reScored);
            Assert.Equal(metrics.MicroAccuracy, reMetrics.MicroAccuracy);
            Assert.Equal(metrics.LogLoss, reMetrics.LogLoss, 10);
            AssertClose(codes, Columns.Vectors(reScored, "Code"));

            // Another process that references only ML.NET and ONNX Runtime.
            var dataPath = Path.Combine(dir.FullName, "test.idv");
            using (var stream = File.Create(dataPath)) ml.Data.SaveAsBinary(test, stream, keepHidden: false);
            var probe = Path.Combine(RepositoryPaths.Root, "tests", "ModelReloadProbe", "bin", RepositoryPaths.Configuration, "net10.0", "ModelReloadProbe.dll");
            Assert.True(File.Exists(probe), probe);
            var outPath = Path.Combine(dir.FullName, "probe.tsv");
            var run = ProcessRunner.Run("dotnet", [probe, modelPath, dataPath, "Code", outPath], dir.FullName, TimeSpan.FromMinutes(3));
            Assert.True(run.ExitCode == 0, run.Output);
            var lines = File.ReadAllLines(outPath);
            Assert.Equal(metrics.MicroAccuracy, double.Parse(lines[0].Split('\t')[1], CultureInfo.InvariantCulture));
            Assert.Equal(metrics.LogLoss, double.Parse(lines[1].Split('\t')[1], CultureInfo.InvariantCulture), 10);
            AssertClose(codes, lines.Skip(2).Select(l => l.Split('\t').Select(v => float.Parse(v, CultureInfo.InvariantCulture)).ToArray()).ToList());
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public void A_truncated_or_corrupt_model_file_gives_an_error_naming_the_file_and_leaves_it_alone()
    {
        var ml = new MLContext(seed: 1);
        var train = TestData.MnistTrainView(ml, 300);
        var model = ml.Transforms.AutoencoderFeaturizer("Code", "Pixels", new AutoencoderOptions { EncoderLayers = [32], CodeSize = 4, Epochs = 1 }).Fit(train);
        var dir = Directory.CreateTempSubdirectory("ae-corrupt-");
        try
        {
            var good = Path.Combine(dir.FullName, "model.zip");
            ml.Model.Save(model, train.Schema, good);
            var bytes = File.ReadAllBytes(good);

            var truncated = Path.Combine(dir.FullName, "truncated.zip");
            File.WriteAllBytes(truncated, bytes[..(bytes.Length / 2)]);
            var corrupt = Path.Combine(dir.FullName, "corrupt.zip");
            var flipped = (byte[])bytes.Clone();
            for (int i = 100; i < flipped.Length - 200; i += 97) flipped[i] ^= 0x5a;
            File.WriteAllBytes(corrupt, flipped);

            foreach (var path in new[] { truncated, corrupt })
            {
                var before = File.ReadAllBytes(path);
                var e = Assert.ThrowsAny<Exception>(() => ml.Model.LoadVerified(path, out _));
                Assert.Contains(path, e.Message);
                Assert.Equal(before, File.ReadAllBytes(path));
            }
            Assert.NotNull(ml.Model.LoadVerified(good, out _));
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    private static void AssertClose(IReadOnlyList<float[]> expected, IReadOnlyList<float[]> actual)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (int i = 0; i < expected.Count; i++)
            for (int j = 0; j < expected[i].Length; j++)
                Assert.True(Math.Abs(expected[i][j] - actual[i][j]) <= 1e-5, $"row {i} slot {j}: {expected[i][j]} vs {actual[i][j]}");
    }
}
