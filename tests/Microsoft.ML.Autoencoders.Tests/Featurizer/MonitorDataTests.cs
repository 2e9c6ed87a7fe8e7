using Microsoft.ML.Autoencoders.Tests.Infrastructure;

namespace Microsoft.ML.Autoencoders.Tests.Featurizer;

public class MonitorDataTests
{
    [Fact]
    public void Monitored_rows_report_their_reconstruction_error_without_choosing_the_weights()
    {
        var ml = new MLContext(seed: 1);
        var train = TestData.MnistTrainView(ml, 800);
        var test = TestData.MnistTestView(ml, 200);
        var options = new AutoencoderOptions
        {
            EncoderLayers = [64], CodeSize = 8, Epochs = 5, BatchSize = 64, Seed = 6, CacheInMemory = true,
            MonitorData = test, MonitorEvery = 2, ReconstructionErrorColumnName = "Error",
        };
        using var model = ml.Transforms.AutoencoderFeaturizer("Code", "Pixels", options).Fit(train);
        Assert.Equal([2, 4, 5], model.TrainingHistory.Where(e => e.MonitorError is not null).Select(e => e.Epoch));
        // The last measurement is the error of the weights the model kept, as the reconstruction-error column reports it.
        double scored = Columns.Errors(model.Transform(test), "Error").Average();
        double monitored = model.TrainingHistory[^1].MonitorError!.Value;
        Assert.True(Math.Abs(scored - monitored) < 1e-3 * scored, $"monitored {monitored:F5} vs scored {scored:F5}");
        Assert.True(model.TrainingHistory[1].MonitorError > monitored, "the monitored error did not fall from epoch 2 to 5");

        var bad = Assert.Throws<ArgumentOutOfRangeException>(() => ml.Transforms.AutoencoderFeaturizer("Code", "Pixels", new AutoencoderOptions { MonitorEvery = 0 }));
        Assert.Contains("Option 'MonitorEvery'", bad.Message);
    }
}
