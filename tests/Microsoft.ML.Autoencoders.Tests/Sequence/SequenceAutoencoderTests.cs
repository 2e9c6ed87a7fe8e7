using Microsoft.ML.Autoencoders.Export;
using Microsoft.ML.Autoencoders.Training;
using Microsoft.ML.Autoencoders.Training.Networks;
using Microsoft.ML.Data;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using TorchSharp;

namespace Microsoft.ML.Autoencoders.Tests.Sequence;

/// <summary>The sequence (temporal-convolution) family: its convolution against the loop definition, ONNX against torch (row and batch graphs), learning, and use inside the streaming detector.</summary>
public class SequenceAutoencoderTests
{
    [Fact]
    public void Temporal_convolution_equals_the_loop_definition_with_stride_and_padding()
    {
        using var generator = TorchRandomness.Seed(3);
        using var conv = new TemporalConvolution(2, 3, 5, 2);
        using var scope = torch.NewDisposeScope();
        var x = torch.randn(2, 2, 11);
        var y = conv.forward(x);
        var w = conv.parameters().First();
        var b = conv.parameters().Last();
        Assert.Equal([2, 3, 6], y.shape);
        for (int n = 0; n < 2; n++)
            for (int o = 0; o < 3; o++)
                for (int t = 0; t < 6; t++)
                {
                    double sum = b[o].item<float>();
                    for (int c = 0; c < 2; c++)
                        for (int j = 0; j < 5; j++)
                        {
                            int source = t * 2 + j - 2;
                            if (source >= 0 && source < 11) sum += w[o, c, j].item<float>() * x[n, c, source].item<float>();
                        }
                    Assert.Equal(sum, y[n, o, t].item<float>(), 1e-4);
                }
    }

    [Theory]
    [InlineData(24, 1, new[] { 4, 6 }, 5)]
    [InlineData(17, 3, new[] { 5 }, 3)]
    public void Onnx_runtime_matches_torch_on_rows_and_batches(int window, int channels, int[] filters, int kernel)
    {
        using var generator = TorchRandomness.Seed(5);
        using var network = new TemporalConvolutionalNetwork(window, channels, filters, kernel, [7], 3, [7], ActivationFunction.ReLU, ActivationFunction.Linear, ReconstructionOutput.Linear);
        network.eval();
        int size = window * channels;
        var random = new Random(9);
        var rows = Enumerable.Range(0, 3).Select(_ => Enumerable.Range(0, size).Select(_ => (float)random.NextDouble()).ToArray()).ToArray();
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        var batch = torch.tensor(rows.SelectMany(r => r).ToArray(), [rows.Length, size]);
        var expectedCode = network.Encode(batch).data<float>().ToArray();
        var expectedReconstruction = network.Reconstruct(batch).data<float>().ToArray();

        using var session = new InferenceSession(AutoencoderOnnxExport.Export(network, new AutoencoderColumns("Window", "Code", "Reconstruction", "Error")));
        for (int r = 0; r < rows.Length; r++)
        {
            using var results = session.Run([NamedOnnxValue.CreateFromTensor("Window", new DenseTensor<float>(rows[r], [size]))]);
            var code = results.Single(v => v.Name == "Code").AsTensor<float>().ToArray();
            var reconstruction = results.Single(v => v.Name == "Reconstruction").AsTensor<float>().ToArray();
            Assert.Equal(3, code.Length);
            Assert.Equal(size, reconstruction.Length);
            for (int i = 0; i < 3; i++) Assert.Equal(expectedCode[r * 3 + i], code[i], 1e-4);
            for (int i = 0; i < size; i++) Assert.Equal(expectedReconstruction[r * size + i], reconstruction[i], 1e-4);
        }
        using var encoder = new InferenceSession(AutoencoderOnnxExport.ExportBatchEncoder(network));
        using var batched = encoder.Run([NamedOnnxValue.CreateFromTensor(AutoencoderOnnxExport.BatchInput, new DenseTensor<float>(rows.SelectMany(r => r).ToArray(), [rows.Length, size]))]);
        var codes = batched.Single().AsTensor<float>().ToArray();
        for (int i = 0; i < codes.Length; i++) Assert.Equal(expectedCode[i], codes[i], 1e-4);
    }

    private sealed class WindowRow
    {
        [VectorType(64)] public float[] Window { get; set; } = [];
    }

    [Fact]
    public void Learns_two_channel_sine_windows_far_better_than_the_mean()
    {
        var random = new Random(2);
        var rows = Enumerable.Range(0, 600).Select(_ =>
        {
            double phase = random.NextDouble() * 2 * Math.PI, period = 8 + 8 * random.NextDouble();
            return new WindowRow { Window = [.. Enumerable.Range(0, 64).Select(i => (float)(i % 2 == 0 ? Math.Sin(phase + 2 * Math.PI * (i / 2) / period) : 0.5 * Math.Cos(phase + 2 * Math.PI * (i / 2) / period)))] };
        }).ToList();
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(rows);
        using var model = ml.Transforms.SequenceAutoencoderFeaturizer("Code", "Window", new SequenceAutoencoderOptions
        {
            Channels = 2, Epochs = 60, Seed = 4, ReconstructionErrorColumnName = "Error",
        }).Fit(data);
        double error = ml.Data.CreateEnumerable<ErrorRow>(model.Transform(data), reuseRowObject: false).Average(r => r.Error[0]);
        var mean = Enumerable.Range(0, 64).Select(i => rows.Average(r => r.Window[i])).ToArray();
        double meanError = rows.Average(r => r.Window.Select((v, i) => (v - mean[i]) * (v - mean[i])).Sum());
        Assert.True(error < 0.2 * meanError, $"sequence autoencoder {error:F3} vs mean predictor {meanError:F3}");
    }

    private sealed class ErrorRow
    {
        public float[] Error { get; set; } = [];
    }

    [Fact]
    public void A_window_too_short_or_a_ragged_channel_count_is_refused_naming_the_setting()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable([new WindowRow { Window = new float[64] }]);
        var ragged = Assert.Throws<ArgumentOutOfRangeException>(() => ml.Transforms.SequenceAutoencoderFeaturizer("Code", "Window", new SequenceAutoencoderOptions { Channels = 3 }).Fit(data));
        Assert.Contains("3 channels", ragged.Message);
        Assert.Contains("KernelSize", Assert.Throws<ArgumentOutOfRangeException>(() => new SequenceAutoencoderOptions { KernelSize = 4 }.Validate()).Message);
    }

    [Fact]
    public void As_the_streaming_detectors_network_it_blames_the_anomalous_channel()
    {
        var random = new Random(7);
        List<float[]> Points(int count, int? anomalyStart) => [.. Enumerable.Range(0, count).Select(t =>
        {
            var p = new float[2];
            for (int c = 0; c < 2; c++) p[c] = (float)(Math.Sin(2 * Math.PI * t / (20 + 9 * c)) + 0.05 * (random.NextDouble() - 0.5));
            if (anomalyStart is int a && t >= a && t < a + 20) p[0] = -1.4f;
            return p;
        })];
        var all = Points(1400, 1250);
        var training = all[..1000];
        var stream = all[1000..];
        using var model = new MLContext(seed: 1).AnomalyDetection.Trainers.StreamingAutoencoder(new StreamingAnomalyDetectorOptions
        {
            Window = 24,
            SpatialTolerance = null, // the network's errors alone must find it
            Network = new SequenceAutoencoderOptions { Filters = [8], Epochs = 20, Seed = 2 },
            Likelihood = new AnomalyLikelihoodOptions { LearningPeriod = 50, HistoryWindow = 500 },
        }).Fit(training);
        var scores = model.ScoreAll(stream);
        var peak = scores.Skip(250).Take(40).MaxBy(s => s.Score);
        Assert.True(peak.Score > scores.Take(240).Max(s => s.Score), $"anomaly {peak.Score} vs normal {scores.Take(240).Max(s => s.Score)}");
        Assert.Equal(0, peak.Channel);
    }
}
