using Microsoft.ML.Autoencoders.Export;
using Microsoft.ML.Autoencoders.Tests.Infrastructure;
using Microsoft.ML.Autoencoders.Training;
using Microsoft.ML.Autoencoders.Training.Networks;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using TorchSharp;

namespace Microsoft.ML.Autoencoders.Tests.Export;

/// <summary>The exported ONNX graph computes what the TorchSharp network computes, for every activation.</summary>
public class OnnxExportParityTests
{
    [Theory]
    [InlineData(ActivationFunction.ReLU, nameof(ReconstructionOutput.Linear))]
    [InlineData(ActivationFunction.LeakyReLU, nameof(ReconstructionOutput.Sigmoid))]
    [InlineData(ActivationFunction.Tanh, nameof(ReconstructionOutput.Linear))]
    [InlineData(ActivationFunction.Sigmoid, nameof(ReconstructionOutput.Sigmoid))]
    [InlineData(ActivationFunction.GELU, nameof(ReconstructionOutput.Softmax))]
    [InlineData(ActivationFunction.Linear, nameof(ReconstructionOutput.Sigmoid))]
    [InlineData(ActivationFunction.ReLU, nameof(ReconstructionOutput.Softmax))]
    // ReconstructionOutput is internal, so the case names it as a string.
    public void Onnx_runtime_matches_torch_codes_and_reconstructions(ActivationFunction activation, string outputName)
    {
        var output = Enum.Parse<ReconstructionOutput>(outputName);
        using var generator = TorchRandomness.Seed(3); // the process-wide generator: other test classes train on parallel threads
        using var network = new DenseAutoencoderNetwork(16, [12, 8], 4, [6], activation, ActivationFunction.Tanh, output);
        network.eval();
        var rows = SyntheticData.LowRank(5, seed: 11).Select(r => r.Features).ToArray();
        if (output == ReconstructionOutput.Softmax) rows = [.. rows.Select(r => r.Select(MathF.Abs).ToArray())]; // counts-like: non-negative

        var columns = new AutoencoderColumns("Features", "Code", "Reconstruction", "Error");
        using var session = new InferenceSession(AutoencoderOnnxExport.Export(network, columns));
        foreach (var row in rows)
        {
            using var scope = torch.NewDisposeScope();
            using var noGrad = torch.no_grad();
            var x = torch.tensor(row, [1, 16]);
            var expectedCode = network.Encode(x).data<float>().ToArray();
            var expectedReconstruction = network.Reconstruct(x).data<float>().ToArray();

            using var results = session.Run([NamedOnnxValue.CreateFromTensor("Features", new DenseTensor<float>(row, [16]))]);
            var code = results.Single(r => r.Name == "Code").AsTensor<float>().ToArray();
            var reconstruction = results.Single(r => r.Name == "Reconstruction").AsTensor<float>().ToArray();
            var error = results.Single(r => r.Name == "Error").AsTensor<float>().ToArray();

            Assert.Equal(expectedCode.Length, code.Length);
            for (int i = 0; i < code.Length; i++) Assert.Equal(expectedCode[i], code[i], 1e-5);
            for (int i = 0; i < reconstruction.Length; i++) Assert.Equal(expectedReconstruction[i], reconstruction[i], 1e-5);
            // A softmax reconstruction is a distribution and is compared with the row divided by its sum.
            var target = output == ReconstructionOutput.Softmax ? row.Select(v => v / row.Sum()).ToArray() : row;
            if (output == ReconstructionOutput.Softmax) Assert.Equal(1.0, reconstruction.Sum(), 1e-5);
            Assert.Equal(target.Zip(expectedReconstruction, (a, b) => (double)(a - b) * (a - b)).Sum(), error.Single(), 1e-4);
        }
    }

    [Fact]
    public void SaveOnnx_writes_a_standalone_model_and_never_leaves_a_partial_file()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(SyntheticData.LowRank(200, seed: 12));
        using var model = ml.Transforms.AutoencoderFeaturizer("Code", "Features", new AutoencoderOptions { EncoderLayers = [8], CodeSize = 2, Epochs = 2 }).Fit(data);
        var dir = Directory.CreateTempSubdirectory("ae-onnx-");
        try
        {
            var path = Path.Combine(dir.FullName, "encoder.onnx");
            File.WriteAllText(path, "previous content");
            model.SaveOnnx(path);
            using var session = new InferenceSession(path);
            Assert.Equal(["Features"], session.InputMetadata.Keys);
            Assert.Equal([2], session.OutputMetadata["Code"].Dimensions);
            Assert.Single(Directory.GetFiles(dir.FullName)); // no temporary file left behind

            var missingFolder = Path.Combine(dir.FullName, "no-such-folder", "x.onnx");
            var e = Assert.Throws<IOException>(() => model.SaveOnnx(missingFolder));
            Assert.Contains(missingFolder, e.Message);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }
}
