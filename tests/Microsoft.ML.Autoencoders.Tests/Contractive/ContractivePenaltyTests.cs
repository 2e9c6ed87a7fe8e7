using Microsoft.ML.Autoencoders.Tests.Infrastructure;
using Microsoft.ML.Autoencoders.Training;
using Microsoft.ML.Autoencoders.Training.Networks;
using TorchSharp;

namespace Microsoft.ML.Autoencoders.Tests.Contractive;

public class ContractivePenaltyTests
{
    /// <summary>‖∂h/∂x‖²_F per row averaged over the batch, from the full Jacobian (one backward pass per code unit).</summary>
    private static double ExactSquaredNorm(AutoencoderNetwork network, torch.Tensor input)
    {
        using var scope = torch.NewDisposeScope();
        var x = input.detach().requires_grad_(true);
        var h = network.Encode(x);
        double sum = 0;
        for (int j = 0; j < h.shape[1]; j++)
        {
            var unit = torch.zeros_like(h);
            unit[.., j] = 1;
            var g = torch.autograd.grad([h], [x], [unit], retain_graph: true)[0];
            sum += g.pow(2).sum().item<float>();
        }
        return sum / input.shape[0];
    }

    [Theory]
    [InlineData(ActivationFunction.Sigmoid)]
    [InlineData(ActivationFunction.ReLU)]
    [InlineData(ActivationFunction.Tanh)]
    [InlineData(ActivationFunction.LeakyReLU)]
    public void One_dense_layer_gets_the_exact_jacobian_norm(ActivationFunction code)
    {
        using var generator = TorchRandomness.Seed(11);
        using var network = new DenseAutoencoderNetwork(12, [], 7, [], ActivationFunction.ReLU, code, ReconstructionOutput.Linear);
        using var scope = torch.NewDisposeScope();
        var x = torch.randn(5, 12);
        double formula = EncoderJacobian.SquaredNorm(network, x, network.Encode(x)).item<float>();
        double exact = ExactSquaredNorm(network, x);
        Assert.True(Math.Abs(formula - exact) < 1e-4 * Math.Max(1, exact), $"closed form {formula} vs full Jacobian {exact}");
    }

    [Fact]
    public void Deeper_and_convolutional_encoders_get_an_unbiased_estimate()
    {
        using var generator = TorchRandomness.Seed(12);
        using var deep = new DenseAutoencoderNetwork(12, [9], 5, [9], ActivationFunction.Tanh, ActivationFunction.GELU, ReconstructionOutput.Linear);
        using var conv = new ConvolutionalAutoencoderNetwork(new ImageShape(1, 6, 6), [new(2)], [], 3, [], ActivationFunction.Tanh, ActivationFunction.Linear,
            ConvolutionalDecoder.Upsampling, ReconstructionOutput.Linear);
        foreach (AutoencoderNetwork network in new AutoencoderNetwork[] { deep, conv })
        {
            using var scope = torch.NewDisposeScope();
            var x = torch.randn(4, network.InputSize);
            double exact = ExactSquaredNorm(network, x);
            double mean = Enumerable.Range(0, 400).Average(_ => (double)EncoderJacobian.SquaredNorm(network, x, network.Encode(x)).item<float>());
            Assert.True(Math.Abs(mean - exact) < 0.05 * exact, $"{network.GetType().Name}: mean of 400 estimates {mean} vs exact {exact}");
        }
    }

    [Fact]
    public void The_penalty_makes_the_learned_encoder_contract_while_it_still_reconstructs()
    {
        var ml = new MLContext(seed: 1);
        var train = TestData.MnistTrainView(ml, 2000);
        AutoencoderOptions Options(double weight) => new()
        {
            EncoderLayers = [], CodeSize = 64, Activation = ActivationFunction.Sigmoid, CodeActivation = ActivationFunction.Sigmoid,
            Epochs = 30, BatchSize = 32, LearningRate = 3e-3, CacheInMemory = true, Seed = 4, ReconstructionErrorColumnName = "Error",
            Penalties = weight > 0 ? [new ContractivePenalty { Weight = weight }] : [],
        };
        using var plain = ml.Transforms.AutoencoderFeaturizer("Code", "Pixels", Options(0)).Fit(train);
        using var contractive = ml.Transforms.AutoencoderFeaturizer("Code", "Pixels", Options(1.0)).Fit(train);

        var test = TestData.MnistTestView(ml, 300);
        double plainSensitivity = Sensitivity(ml, test, plain), contractiveSensitivity = Sensitivity(ml, test, contractive);
        Assert.True(contractiveSensitivity < 0.7 * plainSensitivity, $"code sensitivity: contractive {contractiveSensitivity:F3} vs plain {plainSensitivity:F3}");

        var pixels = Columns.Vectors(test, "Pixels");
        double meanPredictor = SyntheticData.MeanPredictorSse(pixels);
        double error = Columns.Errors(contractive.Transform(test), "Error").Average();
        double plainError = Columns.Errors(plain.Transform(test), "Error").Average();
        Assert.True(error < 0.6 * meanPredictor, $"contractive reconstruction error {error:F2} vs mean predictor {meanPredictor:F2} (plain {plainError:F2}; sensitivity {contractiveSensitivity:F4} vs {plainSensitivity:F4})");
    }

    /// <summary>Sensitivity of the code to a small random move of each input: mean ‖h(x + ε) − h(x)‖ / ‖ε‖ over the rows of <paramref name="test"/>.</summary>
    private static double Sensitivity(MLContext ml, IDataView test, AutoencoderTransformer model)
    {
        var rows = Columns.Vectors(test, "Pixels");
        var random = new Random(3);
        var moved = rows.Select(r => r.Select(v => v + (float)(random.NextDouble() - 0.5) * 0.02f).ToArray()).ToList();
        var a = Columns.Vectors(model.Transform(ml.Data.LoadFromEnumerable(rows.Select(r => new VectorRow784 { Pixels = r }))), "Code");
        var b = Columns.Vectors(model.Transform(ml.Data.LoadFromEnumerable(moved.Select(r => new VectorRow784 { Pixels = r }))), "Code");
        return Enumerable.Range(0, rows.Count).Average(i =>
            Math.Sqrt(a[i].Zip(b[i], (p, q) => (double)(p - q) * (p - q)).Sum()) / Math.Sqrt(rows[i].Zip(moved[i], (p, q) => (double)(p - q) * (p - q)).Sum()));
    }

    private sealed class VectorRow784
    {
        [Microsoft.ML.Data.VectorType(784)]
        public float[] Pixels { get; set; } = [];
    }

    [Fact]
    public void A_stack_pretrains_each_layer_as_a_contractive_autoencoder()
    {
        var ml = new MLContext(seed: 1);
        var train = TestData.MnistTrainView(ml, 1000);
        StackedPretrainerOptions Options(bool contractive) => new()
        {
            EncoderLayers = [64], CodeSize = 32, PretrainingEpochs = 3, BatchSize = 64, CorruptionLevel = 0, CacheInMemory = true, Seed = 2,
            FineTuning = StackedFineTuning.None, Penalties = contractive ? [new ContractivePenalty { Weight = 10 }] : [],
        };
        using var plain = ml.Transforms.StackedPretrainer("Code", "Pixels", Options(false)).Fit(train);
        using var contractive = ml.Transforms.StackedPretrainer("Code", "Pixels", Options(true)).Fit(train);
        Assert.Equal(2, contractive.PretrainedStack!.LayerHistories.Count);
        var test = TestData.MnistTestView(ml, 300);
        double plainSensitivity = Sensitivity(ml, test, plain), contractiveSensitivity = Sensitivity(ml, test, contractive);
        Assert.True(contractiveSensitivity < 0.7 * plainSensitivity, $"top-layer sensitivity: contractive stack {contractiveSensitivity:F4} vs plain {plainSensitivity:F4}");
        foreach (var layer in contractive.PretrainedStack.LayerHistories)
            Assert.True(layer[^1].TrainLoss < layer[0].TrainLoss, $"a contractive layer did not learn: loss {layer[0].TrainLoss:F3} → {layer[^1].TrainLoss:F3}");
    }
}
