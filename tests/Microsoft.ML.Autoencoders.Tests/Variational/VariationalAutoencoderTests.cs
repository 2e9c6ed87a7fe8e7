using Microsoft.ML.Autoencoders.Export;
using Microsoft.ML.Autoencoders.Tests.Infrastructure;
using Microsoft.ML.Autoencoders.Training;
using Microsoft.ML.Autoencoders.Training.Networks;
using Microsoft.ML.Autoencoders.Training.Objectives;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using TorchSharp;

namespace Microsoft.ML.Autoencoders.Tests.Variational;

/// <summary>The variational family: the KL term against its closed form, warm-up and free bits, deterministic codes, ONNX against torch, learning on MNIST.</summary>
public class VariationalAutoencoderTests
{
    private static VariationalPass Pass(float[] mean, float[] logVariance, int rows)
    {
        var mu = torch.tensor(mean, [rows, mean.Length / rows]);
        var lv = torch.tensor(logVariance, [rows, logVariance.Length / rows]);
        return new VariationalPass(mu, torch.zeros(rows, 1), mu, lv);
    }

    [Fact]
    public void The_KL_term_equals_its_closed_form_and_warms_up_linearly()
    {
        using var scope = torch.NewDisposeScope();
        float[] mean = [0.5f, -1f, 2f, 0f], logVariance = [0f, -0.5f, 0.3f, 1f];
        // ½ Σ (μ² + σ² − 1 − log σ²), per row, then the mean over the two rows.
        double expected = 0;
        for (int i = 0; i < 4; i++) expected += 0.5 * (mean[i] * mean[i] + Math.Exp(logVariance[i]) - 1 - logVariance[i]);
        expected /= 2;
        var batch = new ObjectiveBatch(null!, torch.zeros(2, 1), torch.zeros(2, 1), Pass(mean, logVariance, 2));
        Assert.Equal(expected, new VariationalKlTerm(1, 0, 0).Compute(batch).item<float>(), 1e-5);
        Assert.Equal(2.5 * expected, new VariationalKlTerm(2.5, 0, 0).Compute(batch).item<float>(), 1e-5);
        var warming = new VariationalKlTerm(1, 4, 0);
        Assert.Equal(0.25 * expected, warming.Compute(batch).item<float>(), 1e-5);
        Assert.Equal(0.50 * expected, warming.Compute(batch).item<float>(), 1e-5);
        // Free bits: each dimension's batch-mean KL counts as at least λ.
        var perDimension = new double[2];
        for (int i = 0; i < 4; i++) perDimension[i % 2] += 0.5 * (mean[i] * mean[i] + Math.Exp(logVariance[i]) - 1 - logVariance[i]) / 2;
        Assert.Equal(perDimension.Sum(d => Math.Max(d, 1.0)), new VariationalKlTerm(1, 0, 1.0).Compute(batch).item<float>(), 1e-5);
        // The prior itself has no divergence.
        var prior = new ObjectiveBatch(null!, torch.zeros(1, 1), torch.zeros(1, 1), Pass([0f, 0f], [0f, 0f], 1));
        Assert.Equal(0, new VariationalKlTerm(1, 0, 0).Compute(prior).item<float>(), 6);
    }

    [Fact]
    public void Onnx_runtime_matches_torch_and_the_code_is_the_posterior_mean()
    {
        using var generator = TorchRandomness.Seed(5);
        using var network = new VariationalAutoencoderNetwork(12, [9], 3, [9], ActivationFunction.ReLU, ReconstructionOutput.Sigmoid);
        network.eval();
        var random = new Random(3);
        var row = Enumerable.Range(0, 12).Select(_ => (float)random.NextDouble()).ToArray();
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        var x = torch.tensor(row, [1, 12]);
        var (mean, _) = network.Posterior(x);
        var expectedCode = mean.data<float>().ToArray();
        Assert.Equal(expectedCode, network.Encode(x).data<float>().ToArray());
        Assert.Equal(network.Reconstruct(x).data<float>().ToArray(), network.Reconstruct(x).data<float>().ToArray()); // no sampling at scoring
        var expectedReconstruction = network.Reconstruct(x).data<float>().ToArray();
        using var session = new InferenceSession(AutoencoderOnnxExport.Export(network, new AutoencoderColumns("Pixels", "Code", "Reconstruction", null)));
        using var results = session.Run([NamedOnnxValue.CreateFromTensor("Pixels", new DenseTensor<float>(row, [12]))]);
        var code = results.Single(r => r.Name == "Code").AsTensor<float>().ToArray();
        var reconstruction = results.Single(r => r.Name == "Reconstruction").AsTensor<float>().ToArray();
        for (int i = 0; i < 3; i++) Assert.Equal(expectedCode[i], code[i], 1e-5);
        for (int i = 0; i < 12; i++) Assert.Equal(expectedReconstruction[i], reconstruction[i], 1e-5);
        // In training mode the decoder reads a sample: two passes differ.
        network.train();
        Assert.NotEqual(network.forward(x).data<float>().ToArray(), network.forward(x).data<float>().ToArray());
    }

    [Fact]
    public void Learns_MNIST_with_a_KL_that_stays_positive_and_beta_zero_reconstructs_better()
    {
        var ml = new MLContext(seed: 1);
        var data = TestData.MnistTrainView(ml, 1000);
        double Error(double beta, out AutoencoderTransformer model)
        {
            model = ml.Transforms.VariationalAutoencoder("Code", "Pixels", new VariationalAutoencoderOptions
            {
                EncoderLayers = [128], CodeSize = 8, Epochs = 15, BatchSize = 64, Seed = 2, Beta = beta, ReconstructionErrorColumnName = "Error",
            }).Fit(data);
            return ml.Data.CreateEnumerable<ErrorRow>(model.Transform(data), reuseRowObject: false).Average(r => r.Error[0]);
        }
        double vae = Error(1, out var vaeModel);
        double plain = Error(0, out var plainModel);
        using (vaeModel)
        using (plainModel)
        {
            var pixels = ml.Data.CreateEnumerable<PixelRow>(data, reuseRowObject: false).Select(r => r.Pixels).ToArray();
            var mean = Enumerable.Range(0, 784).Select(i => pixels.Average(p => p[i])).ToArray();
            double meanError = pixels.Average(p => p.Select((v, i) => (v - mean[i]) * (v - mean[i])).Sum());
            Assert.True(vae < 0.8 * meanError, $"VAE {vae:F2} vs mean predictor {meanError:F2}");
            Assert.True(plain < vae, $"β = 0 {plain:F2} should reconstruct better than β = 1 {vae:F2} (no KL pulling codes to the prior)");
            // The training loss (reconstruction + KL) of the β = 1 model exceeds its reconstruction alone: the KL term was there.
            Assert.True(vaeModel.TrainingHistory[^1].TrainLoss > plainModel.TrainingHistory[^1].TrainLoss);
            // Codes are deterministic at scoring.
            var first = ml.Data.CreateEnumerable<CodeRow>(vaeModel.Transform(data), reuseRowObject: false).Take(5).Select(r => r.Code).ToArray();
            var second = ml.Data.CreateEnumerable<CodeRow>(vaeModel.Transform(data), reuseRowObject: false).Take(5).Select(r => r.Code).ToArray();
            Assert.Equal(first, second);
        }
    }

    [Fact]
    public void Bad_settings_are_refused_naming_the_option()
    {
        Assert.Contains("Beta", Assert.Throws<ArgumentOutOfRangeException>(() => new VariationalAutoencoderOptions { Beta = -1 }.Validate()).Message);
        Assert.Contains("FreeBits", Assert.Throws<ArgumentOutOfRangeException>(() => new VariationalAutoencoderOptions { FreeBits = double.NaN }.Validate()).Message);
        Assert.Contains("KlWarmupEpochs", Assert.Throws<ArgumentOutOfRangeException>(() => new VariationalAutoencoderOptions { KlWarmupEpochs = -2 }.Validate()).Message);
    }

    private sealed class ErrorRow { public float[] Error { get; set; } = []; }
    private sealed class CodeRow { public float[] Code { get; set; } = []; }
    private sealed class PixelRow { public float[] Pixels { get; set; } = []; }
}
