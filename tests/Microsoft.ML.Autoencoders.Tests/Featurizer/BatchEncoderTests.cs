using Microsoft.ML.Autoencoders.Tests.Infrastructure;

namespace Microsoft.ML.Autoencoders.Tests.Featurizer;

/// <summary>Bulk encoding through ONNX Runtime batches gives the same codes as the transformer's code column.</summary>
public class BatchEncoderTests
{
    [Fact]
    public void Dense_and_convolutional_batch_codes_equal_the_code_column()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(SyntheticData.LowRank(300, seed: 6));
        using var dense = ml.Transforms.AutoencoderFeaturizer("Code", "Features", new AutoencoderOptions { EncoderLayers = [8], CodeSize = 3, Epochs = 2 }).Fit(data);
        using var conv = ml.Transforms.ConvolutionalAutoencoderFeaturizer("Code", "Features", new ConvolutionalAutoencoderOptions
        {
            ImageHeight = 4, ImageWidth = 4, ConvolutionalLayers = [new(3), new(4, PoolSize: 1)], CodeSize = 3, Epochs = 2,
        }).Fit(data);
        foreach (var model in new[] { dense, conv })
        {
            var expected = Columns.Vectors(model.Transform(data), "Code");
            using var encoder = model.CreateBatchEncoder();
            var codes = encoder.Encode(data, "Features", batchSize: 64); // 300 rows: four full batches and a partial one
            Assert.Equal(expected.Count, codes.Length);
            for (int i = 0; i < codes.Length; i++)
                for (int j = 0; j < 3; j++) Assert.Equal(expected[i][j], codes[i][j], 1e-5);

            var e = Assert.Throws<ArgumentException>(() => encoder.Encode([new float[5]]));
            Assert.Contains("5 values", e.Message);
            Assert.Throws<ArgumentException>(() => encoder.Encode([Enumerable.Repeat(float.NaN, 16).ToArray()]));
        }
    }
}
