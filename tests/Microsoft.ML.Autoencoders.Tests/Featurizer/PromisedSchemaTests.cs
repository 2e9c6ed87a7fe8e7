using Microsoft.ML.Autoencoders.Tests.Infrastructure;

namespace Microsoft.ML.Autoencoders.Tests.Featurizer;

/// <summary>What an estimator promises before training is what ML.NET's EstimatorChain checks the next estimator against.</summary>
public class PromisedSchemaTests
{
    [Fact]
    public void A_trainer_on_the_reconstruction_column_fits_in_one_chain()
    {
        // The reconstruction was promised as a variable-size vector: "Schema mismatch for feature column 'Recon':
        // expected Vector<Single>, got VarVector<Single>" at Fit of the chain.
        var ml = new MLContext(seed: 1);
        var train = TestData.MnistTrainView(ml, 300);
        var pipeline = ml.Transforms.AutoencoderFeaturizer("Code", "Pixels",
                new AutoencoderOptions { EncoderLayers = [32], CodeSize = 4, Epochs = 1, ReconstructionColumnName = "Recon" })
            .Append(ml.MulticlassClassification.Trainers.SdcaMaximumEntropy("Label", "Recon", maximumNumberOfIterations: 2));
        var model = pipeline.Fit(train);
        using var autoencoder = model.First() as AutoencoderTransformer;
        Assert.Contains("Score", model.Transform(train).Schema.Select(c => c.Name));
        var promised = ml.Transforms.AutoencoderFeaturizer("Code", "Pixels",
            new AutoencoderOptions { EncoderLayers = [32], CodeSize = 4, ReconstructionColumnName = "Recon" }).GetOutputSchema(MLNetInternals.ToSchemaShape(train.Schema));
        Assert.Equal(SchemaShape.Column.VectorKind.Vector, promised.Single(c => c.Name == "Recon").Kind);
    }
}
