using Microsoft.ML.Autoencoders.Training;
using Microsoft.ML.Autoencoders.Training.Networks;
using TorchSharp;

namespace Microsoft.ML.Autoencoders.Tests.Convolutional;

/// <summary>
/// The network's convolutions and their gradients against their definitions written out in loops, on batches of several
/// rows: libtorch's own batched transposed convolution was wrong on one of our CPUs, so the references use no libtorch kernel.
/// </summary>
public class ForwardOnlyConvolutionTests
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
        var x = torch.randn(rows, inPlanes, side, side).requires_grad_();
        var actual = ForwardOnlyConvolution.ConvolveTransposed(layer, x, stride, padding, outputPadding);
        var cotangent = torch.randn_like(actual);
        (actual * cotangent).sum().backward();   // gradients of Σ cotangent ⊙ output

        int outSide = (side - 1) * stride - 2 * padding + kernel + outputPadding;
        Assert.Equal(new long[] { rows, outPlanes, outSide, outSide }, actual.shape);
        var input = x.data<float>().ToArray();
        var weight = layer.weight!.data<float>().ToArray();   // [in, out, k, k]
        var bias = layer.bias!.data<float>().ToArray();
        var c = cotangent.data<float>().ToArray();
        var expected = new double[rows * outPlanes * outSide * outSide];
        var inputGradient = new double[input.Length];
        var weightGradient = new double[weight.Length];
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
            int inputAt = ((n * inPlanes + i) * side + h) * side + w, weightAt = ((i * outPlanes + o) * kernel + ky) * kernel + kx;
            int outputAt = ((n * outPlanes + o) * outSide + y) * outSide + z;
            expected[outputAt] += input[inputAt] * weight[weightAt];
            inputGradient[inputAt] += c[outputAt] * weight[weightAt];
            weightGradient[weightAt] += c[outputAt] * input[inputAt];
        }
        AssertClose(expected, actual, "output");
        AssertClose(inputGradient, x.grad!, "input gradient");
        AssertClose(weightGradient, layer.weight.grad!, "weight gradient");
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
        var x = torch.randn(rows, inPlanes, side, side).requires_grad_();
        var output = ForwardOnlyConvolution.Convolve(layer, x, stride, padding);
        var cotangent = torch.randn_like(output);
        (output * cotangent).sum().backward();
        var values = output.data<float>().ToArray();
        int outSide = (side + 2 * padding - kernel) / stride + 1;
        Assert.Equal(rows * outPlanes * outSide * outSide, values.Length);
        var input = x.data<float>().ToArray();
        var weight = layer.weight!.data<float>().ToArray();   // [out, in, k, k]
        var bias = layer.bias!.data<float>().ToArray();
        var c = cotangent.data<float>().ToArray();
        var inputGradient = new double[input.Length];
        var weightGradient = new double[weight.Length];
        var biasGradient = new double[bias.Length];
        for (int n = 0; n < rows; n++)
        for (int o = 0; o < outPlanes; o++)
        for (int y = 0; y < outSide; y++)
        for (int z = 0; z < outSide; z++)
        {
            int outputAt = ((n * outPlanes + o) * outSide + y) * outSide + z;
            double sum = bias[o];
            biasGradient[o] += c[outputAt];
            for (int i = 0; i < inPlanes; i++)
            for (int ky = 0; ky < kernel; ky++)
            for (int kx = 0; kx < kernel; kx++)
            {
                int h = y * stride - padding + ky, w = z * stride - padding + kx;
                if (h < 0 || h >= side || w < 0 || w >= side) continue;
                int inputAt = ((n * inPlanes + i) * side + h) * side + w, weightAt = ((o * inPlanes + i) * kernel + ky) * kernel + kx;
                sum += input[inputAt] * weight[weightAt];
                inputGradient[inputAt] += c[outputAt] * weight[weightAt];
                weightGradient[weightAt] += c[outputAt] * input[inputAt];
            }
            Assert.Equal(sum, values[outputAt], 1e-4);
        }
        AssertClose(inputGradient, x.grad!, "input gradient");
        AssertClose(weightGradient, layer.weight.grad!, "weight gradient");
        AssertClose(biasGradient, layer.bias.grad!, "bias gradient");
    }

    [Fact]
    public void Second_derivatives_match_finite_differences_of_first_derivatives()
    {
        // The contractive penalty differentiates an input gradient again, with respect to the weights.
        using var generator = TorchRandomness.Seed(14);
        using var conv = torch.nn.Conv2d(2, 3, 3, stride: 2, padding: 1).to(torch.float64);
        using var deconv = torch.nn.ConvTranspose2d(3, 2, 3, stride: 2, padding: 1, output_padding: 1).to(torch.float64);
        using var scope = torch.NewDisposeScope();
        var x = torch.randn(3, 2, 6, 6, torch.float64);
        var cotangent = torch.randn(3, 2, 6, 6, torch.float64);
        torch.Tensor Penalty()
        {
            var input = x.detach().requires_grad_();
            var output = ForwardOnlyConvolution.ConvolveTransposed(deconv, torch.tanh(ForwardOnlyConvolution.Convolve(conv, input, 2, 1)), 2, 1, 1);
            var inputGradient = torch.autograd.grad([(output * cotangent).sum()], [input], retain_graph: true, create_graph: true)[0];
            return inputGradient.square().sum();
        }
        Penalty().backward();
        var analytic = new[] { conv.weight!.grad!.clone(), deconv.weight!.grad!.clone() };
        var weights = new[] { conv.weight, deconv.weight };
        const double step = 1e-6;
        for (int layer = 0; layer < 2; layer++)
        {
            var flat = weights[layer].detach().view(-1);
            var gradient = analytic[layer].view(-1);
            for (int j = 0; j < flat.shape[0]; j += 5)
            {
                double original = flat[j].item<double>(), up, down;
                using (torch.no_grad()) flat[j] = original + step;
                using (torch.enable_grad()) up = Penalty().item<double>();
                using (torch.no_grad()) flat[j] = original - step;
                using (torch.enable_grad()) down = Penalty().item<double>();
                using (torch.no_grad()) flat[j] = original;
                double numeric = (up - down) / (2 * step);
                Assert.True(Math.Abs(numeric - gradient[j].item<double>()) <= 1e-5 * Math.Max(1, Math.Abs(numeric)),
                    $"layer {layer}, weight {j}: autograd {gradient[j].item<double>()}, finite differences {numeric}");
            }
        }
    }

    private static void AssertClose(double[] expected, torch.Tensor actual, string what)
    {
        var values = actual.detach().data<float>().ToArray();
        Assert.Equal(expected.Length, values.Length);
        for (int j = 0; j < expected.Length; j++)
            Assert.True(Math.Abs(expected[j] - values[j]) <= 1e-4 * Math.Max(1, Math.Abs(expected[j])), $"{what} [{j}]: expected {expected[j]}, got {values[j]}");
    }

    [Fact]
    public void A_batch_gets_the_gradients_its_rows_get_one_by_one()
    {
        // libtorch's kernel got exactly this wrong (input gradients of a 64-row batch off by about 1).
        using var generator = TorchRandomness.Seed(12);
        using var conv = torch.nn.Conv2d(2, 4, 3, padding: 1);
        using var deconv = torch.nn.ConvTranspose2d(4, 2, 3, stride: 2, padding: 1, output_padding: 1);
        using var scope = torch.NewDisposeScope();
        torch.Tensor Loss(torch.Tensor x) => ForwardOnlyConvolution.ConvolveTransposed(deconv, ForwardOnlyConvolution.Convolve(conv, x, 2, 1), 2, 1, 1).square().sum();
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
