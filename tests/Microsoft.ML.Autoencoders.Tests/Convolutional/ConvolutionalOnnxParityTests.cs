using Microsoft.ML.Autoencoders.Export;
using Microsoft.ML.Autoencoders.Training;
using Microsoft.ML.Autoencoders.Training.Networks;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using TorchSharp;

namespace Microsoft.ML.Autoencoders.Tests.Convolutional;

/// <summary>The exported graph (Conv, MaxPool with indices, MaxUnpool or Resize, ConvTranspose) computes what TorchSharp computes.</summary>
public class ConvolutionalOnnxParityTests
{
    public static TheoryData<ConvolutionalDecoder, int, int, int, ConvolutionalLayer[]> Cases => new()
    {
        { ConvolutionalDecoder.Unpooling, 1, 12, 12, [new(4), new(6)] },
        { ConvolutionalDecoder.Upsampling, 1, 12, 12, [new(4), new(6)] },
        { ConvolutionalDecoder.Unpooling, 3, 10, 10, [new(5, KernelSize: 5), new(4, KernelSize: 3, Stride: 2, PoolSize: 1)] },
        { ConvolutionalDecoder.Upsampling, 3, 15, 15, [new(4, KernelSize: 3, PoolSize: 3), new(3, Stride: 2, PoolSize: 1)] },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Onnx_runtime_matches_torch_codes_and_reconstructions(ConvolutionalDecoder decoder, int channels, int height, int width, ConvolutionalLayer[] layers)
    {
        using var generator = TorchRandomness.Seed(5); // the process-wide generator: other test classes train on parallel threads
        var image = new ImageShape(channels, height, width);
        using var network = new ConvolutionalAutoencoderNetwork(image, layers, [7], 3, [7], ActivationFunction.ReLU, ActivationFunction.Linear, decoder, ReconstructionOutput.Sigmoid);
        network.eval();
        var random = new Random(9);
        using var session = new InferenceSession(AutoencoderOnnxExport.Export(network, new AutoencoderColumns("Pixels", "Code", "Reconstruction", "Error")));
        int compared = 0, drawn = 0;
        while (compared < 4)
        {
            Assert.True(++drawn <= 100, $"only {compared} of 100 random inputs had a clear winner in every pooling window");
            var row = Enumerable.Range(0, image.Size).Select(_ => (float)random.NextDouble()).ToArray();
            using var scope = torch.NewDisposeScope();
            using var noGrad = torch.no_grad();
            var x = torch.tensor(row, [1, image.Size]);
            // Unpooling puts values where max pooling found its maximum, which jumps when two candidates swap order:
            // an input whose winner leads by less than the rounding difference of two engines' convolution kernels can
            // legitimately be pooled to different positions by torch and ONNX Runtime (or by one engine on two CPUs).
            // Compare only inputs whose every pooling window has a winner ahead by 1e-4 (a thousand times float32
            // rounding on these sums) or is dead under ReLU; every other difference is a real one.
            if (decoder == ConvolutionalDecoder.Unpooling && PoolingMargin(network, layers, image, x) < 1e-4f) continue;
            compared++;
            var expectedCode = network.Encode(x).data<float>().ToArray();
            var expectedReconstruction = network.Reconstruct(x).data<float>().ToArray();

            using var results = session.Run([NamedOnnxValue.CreateFromTensor("Pixels", new DenseTensor<float>(row, [image.Size]))]);
            var code = results.Single(r => r.Name == "Code").AsTensor<float>().ToArray();
            var reconstruction = results.Single(r => r.Name == "Reconstruction").AsTensor<float>().ToArray();

            Assert.Equal(3, code.Length);
            Assert.Equal(image.Size, reconstruction.Length);
            for (int i = 0; i < code.Length; i++) Assert.Equal(expectedCode[i], code[i], 1e-4);
            for (int i = 0; i < reconstruction.Length; i++) Assert.Equal(expectedReconstruction[i], reconstruction[i], 1e-4);
        }
    }

    /// <summary>
    /// The smallest, over all max-pooling windows of <paramref name="x"/>'s encoding, of: the gap between the largest and
    /// second-largest pre-activation when the largest is alive (positive), or how far below zero the largest is when the
    /// whole window is dead (ReLU gives equal zeros, a tie both engines break the same way).
    /// </summary>
    private static float PoolingMargin(ConvolutionalAutoencoderNetwork network, IReadOnlyList<ConvolutionalLayer> layers, ImageShape image, torch.Tensor x)
    {
        var weights = network.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        var h = x.view(1, image.Channels, image.Height, image.Width);
        float margin = float.PositiveInfinity;
        for (int i = 0; i < layers.Count; i++)
        {
            var l = layers[i];
            var pre = torch.nn.functional.conv2d(h, weights[$"convolutions.{i}.weight"], weights[$"convolutions.{i}.bias"],
                strides: [l.Stride, l.Stride], padding: [l.KernelSize / 2, l.KernelSize / 2]);
            if (l.PoolSize > 1)
            {
                long p = l.PoolSize, c = pre.shape[1], oh = pre.shape[2] / p, ow = pre.shape[3] / p;
                var windows = pre.narrow(2, 0, oh * p).narrow(3, 0, ow * p)
                    .view(1, c, oh, p, ow, p).permute(0, 1, 2, 4, 3, 5).reshape(-1, p * p);
                var top = windows.topk(2, dim: 1).values;
                var first = top.select(1, 0);
                var gap = torch.where(first > 0, first - top.select(1, 1), -first);
                margin = Math.Min(margin, gap.min().item<float>());
            }
            h = torch.nn.functional.relu(pre);
            if (l.PoolSize > 1) h = torch.nn.functional.max_pool2d(h, [l.PoolSize, l.PoolSize], [l.PoolSize, l.PoolSize]);
        }
        return margin;
    }

    [Fact]
    public void Unpooling_puts_values_back_where_the_maxima_were()
    {
        // One stage, identity-like weights would be fragile; instead check the structural fact: with the unpooling
        // decoder the reconstruction depends on the input beyond its code, with upsampling it does not.
        using var generator = TorchRandomness.Seed(2); // the process-wide generator: other test classes train on parallel threads
        var image = new ImageShape(1, 8, 8);
        using var unpool = new ConvolutionalAutoencoderNetwork(image, [new(2)], [], 4, [], ActivationFunction.ReLU, ActivationFunction.Linear, ConvolutionalDecoder.Unpooling, ReconstructionOutput.Linear);
        using var upsample = new ConvolutionalAutoencoderNetwork(image, [new(2)], [], 4, [], ActivationFunction.ReLU, ActivationFunction.Linear, ConvolutionalDecoder.Upsampling, ReconstructionOutput.Linear);
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        var x = torch.rand(1, 64);
        var viaCodeUnpool = unpool.DecodeWithoutPositions(unpool.Encode(x));
        Assert.False(torch.allclose(viaCodeUnpool, unpool.forward(x)));
        var viaCode = upsample.DecodeWithoutPositions(upsample.Encode(x));
        Assert.True(torch.allclose(viaCode, upsample.forward(x)));
    }

    [Fact]
    public void Position_dropout_hides_the_pooling_positions_from_a_share_of_the_rows_in_training_only()
    {
        using var generator = TorchRandomness.Seed(3);
        var image = new ImageShape(1, 8, 8);
        ConvolutionalAutoencoderNetwork Network(double dropout) =>
            new(image, [new(2)], [], 4, [], ActivationFunction.ReLU, ActivationFunction.Linear, ConvolutionalDecoder.Unpooling, ReconstructionOutput.Linear, dropout);
        using var none = Network(0);
        using var all = Network(1);
        using var half = Network(0.5);
        using (var _ = torch.no_grad())
        {
            all.load_state_dict(none.state_dict());
            half.load_state_dict(none.state_dict());
        }
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        var x = torch.rand(1, 64).expand(400, 64).contiguous(); // 400 copies of one image
        foreach (var n in new[] { none, all, half }) n.eval();
        var withPositions = none.forward(x);
        Assert.True(torch.allclose(withPositions, all.forward(x)));   // scoring always uses the positions
        Assert.True(torch.allclose(withPositions, half.forward(x)));

        foreach (var n in new[] { none, all, half }) n.train();
        Assert.True(torch.allclose(withPositions, none.forward(x)));  // 0: plain unpooling
        var withoutPositions = all.forward(x);
        Assert.False(torch.allclose(withPositions[0], withoutPositions[0]));
        Assert.True(torch.allclose(withoutPositions, withoutPositions[0].expand(400, 64)));

        // With 0.5 every row is decoded one way or the other, about half of them each way.
        var mixed = half.forward(x);
        var rowsWith = (mixed - withPositions).abs().amax(1).lt(1e-6);
        var rowsWithout = (mixed - withoutPositions).abs().amax(1).lt(1e-6);
        Assert.True(rowsWith.logical_xor(rowsWithout).all().item<bool>());
        Assert.InRange(rowsWithout.sum().item<long>(), 150, 250);
    }

    [Fact]
    public void Position_dropout_outside_zero_to_one_is_refused_by_name()
    {
        var ml = new MLContext(1);
        var data = ml.Data.LoadFromEnumerable(Enumerable.Range(0, 8).Select(_ => new ImageRow()));
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => ml.Transforms.ConvolutionalAutoencoderFeaturizer("Code", "Pixels",
            new ConvolutionalAutoencoderOptions { PositionDropout = 1.5, ImageChannels = 1, ImageHeight = 8, ImageWidth = 8, Epochs = 1 }).Fit(data));
        Assert.Contains("PositionDropout", e.Message);
    }

    private sealed class ImageRow
    {
        [Microsoft.ML.Data.VectorType(64)]
        public float[] Pixels { get; set; } = new float[64];
    }
}
