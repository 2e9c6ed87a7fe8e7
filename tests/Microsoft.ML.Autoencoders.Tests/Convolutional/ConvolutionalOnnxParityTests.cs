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
        for (int n = 0; n < 4; n++)
        {
            var row = Enumerable.Range(0, image.Size).Select(_ => (float)random.NextDouble()).ToArray();
            using var scope = torch.NewDisposeScope();
            using var noGrad = torch.no_grad();
            var x = torch.tensor(row, [1, image.Size]);
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
        Assert.Throws<InvalidOperationException>(() => unpool.DecodeRaw(unpool.Encode(x)));
        var viaCode = upsample.DecodeRaw(upsample.Encode(x));
        Assert.True(torch.allclose(viaCode, upsample.forward(x)));
    }
}
