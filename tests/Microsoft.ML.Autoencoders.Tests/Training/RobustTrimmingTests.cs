using Microsoft.ML.Autoencoders.Training;
using Microsoft.ML.Autoencoders.Training.Networks;
using Microsoft.ML.Autoencoders.Training.Objectives;
using static TorchSharp.torch;

namespace Microsoft.ML.Autoencoders.Tests.Training;

/// <summary>Robust training leaves out the rows reconstructed worst, judged by squared error rather than by the loss.</summary>
public class RobustTrimmingTests
{
    [Fact]
    public void Badly_reconstructed_binary_rows_are_left_out_not_well_reconstructed_grey_ones()
    {
        // Rows 0-5: grey values (0.5) reconstructed exactly — their cross-entropy is high (ln 2 per value) although the
        // reconstruction is perfect. Rows 6-7: binary values reconstructed with an error of 0.3 per value — low
        // cross-entropy, high squared error: these are the outliers.
        using var scope = NewDisposeScope();
        const int rows = 8, width = 20;
        var target = full(rows, width, 0.5f);
        var reconstruction = full(rows, width, 0.5f);
        for (int r = 6; r < rows; r++)
        {
            target[r] = ones(width);
            reconstruction[r] = full(width, 0.7f);
        }
        var raw = log(reconstruction / (1 - reconstruction));   // logits of the reconstruction

        var perRowLoss = ReconstructionLossFunctions.PerRow(ReconstructionLoss.BinaryCrossEntropy, raw, target).data<float>().ToArray();
        Assert.True(perRowLoss[6] < perRowLoss[0], "the outliers' cross-entropy is below the grey rows' (what made loss ranking fail)");

        var kept = TrainingObjective.BestReconstructed(ReconstructionLoss.BinaryCrossEntropy, ReconstructionOutput.Sigmoid, raw, target, keep: 6)
            .data<long>().ToArray().Order().ToArray();
        Assert.Equal([0L, 1, 2, 3, 4, 5], kept);
    }
}
