using Microsoft.ML.Autoencoders.Training;
using Microsoft.ML.Autoencoders.Training.Networks;
using TorchSharp;

namespace Microsoft.ML.Autoencoders.Tests.Convolutional;

/// <summary>
/// The network's convolutions against their definitions written out in loops, on batches of several rows: libtorch's
/// own batched transposed convolution was wrong on one of our CPUs, so the references here use no libtorch kernel.
/// </summary>
public class MatrixConvolutionTests
{
    [Theory]
    [InlineData(3, 1, 0)]
    [InlineData(3, 2, 1)]
    [InlineData(5, 2, 1)]
    [InlineData(5, 2, 0)]
    [InlineData(3, 3, 2)]
    [InlineData(1, 1, 0)]
    public void Equals_the_definition_of_a_transposed_convolution_for_every_row_of_a_batch(int kernel, int stride, int outputPadding)
    {
        using var generator = TorchRandomness.Seed(11); // the process-wide generator: other test classes train on parallel threads
        const int rows = 5, inPlanes = 3, outPlanes = 2, side = 6;
        int padding = kernel / 2;
        using var layer = torch.nn.ConvTranspose2d(inPlanes, outPlanes, kernel, stride: stride, padding: padding, output_padding: outputPadding);
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        var x = torch.randn(rows, inPlanes, side, side);
        var actual = MatrixConvolution.ConvolveTransposed(layer, x, stride, padding, outputPadding);

        int outSide = (side - 1) * stride - 2 * padding + kernel + outputPadding;
        Assert.Equal(new long[] { rows, outPlanes, outSide, outSide }, actual.shape);
        var input = x.data<float>().ToArray();
        var weight = layer.weight!.data<float>().ToArray();   // [in, out, k, k]
        var bias = layer.bias!.data<float>().ToArray();
        var expected = new double[rows * outPlanes * outSide * outSide];
        for (int n = 0; n < rows; n++)
        for (int o = 0; o < outPlanes; o++)
        for (int y = 0; y < outSide; y++)
        for (int z = 0; z < outSide; z++)
            expected[((n * outPlanes + o) * outSide + y) * outSide + z] = bias[o];
        for (int n = 0; n < rows; n++)
        for (int i = 0; i < inPlanes; i++)
        for (int h = 0; h < side; h++)
        for (int w = 0; w < side; w++)
        for (int o = 0; o < outPlanes; o++)
        for (int ky = 0; ky < kernel; ky++)
        for (int kx = 0; kx < kernel; kx++)
        {
            int y = h * stride - padding + ky, z = w * stride - padding + kx;
            if (y < 0 || y >= outSide || z < 0 || z >= outSide) continue;
            expected[((n * outPlanes + o) * outSide + y) * outSide + z] +=
                input[((n * inPlanes + i) * side + h) * side + w] * weight[((i * outPlanes + o) * kernel + ky) * kernel + kx];
        }
        var values = actual.data<float>().ToArray();
        for (int j = 0; j < expected.Length; j++) Assert.Equal(expected[j], values[j], 1e-4);
    }

    [Theory]
    [InlineData(3, 1)]
    [InlineData(3, 2)]
    [InlineData(5, 1)]
    public void Convolution_equals_its_definition_for_every_row_of_a_batch(int kernel, int stride)
    {
        using var generator = TorchRandomness.Seed(13);
        const int rows = 5, inPlanes = 2, outPlanes = 3, side = 7;
        int padding = kernel / 2;
        using var layer = torch.nn.Conv2d(inPlanes, outPlanes, kernel, stride: stride, padding: padding);
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        var x = torch.randn(rows, inPlanes, side, side);
        var values = MatrixConvolution.Convolve(layer, x, stride, padding).data<float>().ToArray();
        int outSide = (side + 2 * padding - kernel) / stride + 1;
        Assert.Equal(rows * outPlanes * outSide * outSide, values.Length);
        var input = x.data<float>().ToArray();
        var weight = layer.weight!.data<float>().ToArray();   // [out, in, k, k]
        var bias = layer.bias!.data<float>().ToArray();
        for (int n = 0; n < rows; n++)
        for (int o = 0; o < outPlanes; o++)
        for (int y = 0; y < outSide; y++)
        for (int z = 0; z < outSide; z++)
        {
            double sum = bias[o];
            for (int i = 0; i < inPlanes; i++)
            for (int ky = 0; ky < kernel; ky++)
            for (int kx = 0; kx < kernel; kx++)
            {
                int h = y * stride - padding + ky, w = z * stride - padding + kx;
                if (h >= 0 && h < side && w >= 0 && w < side)
                    sum += input[((n * inPlanes + i) * side + h) * side + w] * weight[((o * inPlanes + i) * kernel + ky) * kernel + kx];
            }
            Assert.Equal(sum, values[((n * outPlanes + o) * outSide + y) * outSide + z], 1e-4);
        }
    }

    [Fact]
    public void A_batch_gets_the_gradients_its_rows_get_one_by_one()
    {
        // libtorch's kernel got exactly this wrong (input gradients of a 64-row batch off by about 1).
        using var generator = TorchRandomness.Seed(12);
        using var conv = torch.nn.Conv2d(2, 4, 3, padding: 1);
        using var deconv = torch.nn.ConvTranspose2d(4, 2, 3, stride: 2, padding: 1, output_padding: 1);
        using var scope = torch.NewDisposeScope();
        torch.Tensor Loss(torch.Tensor x) => MatrixConvolution.ConvolveTransposed(deconv, MatrixConvolution.Convolve(conv, x, 2, 1), 2, 1, 1).square().sum();
        var batch = torch.randn(64, 2, 8, 8).requires_grad_();
        Loss(batch).backward();
        var batchGradient = batch.grad!.clone();
        var weightGradient = conv.weight!.grad!.clone();
        conv.zero_grad();
        for (int r = 0; r < 64; r++)
        {
            var row = batch.detach()[r..(r + 1)].clone().requires_grad_();
            Loss(row).backward();
            Assert.True(torch.allclose(row.grad![0], batchGradient[r], rtol: 1e-4, atol: 1e-4), $"input gradient of row {r}");
        }
        Assert.True(torch.allclose(conv.weight.grad!, weightGradient, rtol: 1e-3, atol: 1e-3), "weight gradient: the batch's equals the sum of its rows'");
        Assert.True(batchGradient.abs().sum().item<float>() > 0);
    }
}
