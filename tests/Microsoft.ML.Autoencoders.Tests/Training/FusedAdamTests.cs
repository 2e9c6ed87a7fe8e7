using Microsoft.ML.Autoencoders.Training;
using Microsoft.ML.Autoencoders.Training.Optimizers;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.Autoencoders.Tests.Training;

/// <summary>The fused CPU Adam takes the same steps as libtorch's Adam.</summary>
public class FusedAdamTests
{
    private static float[][] Train(bool fused, double weightDecay)
    {
        lock (typeof(FusedAdamTests))
        {
            torch.manual_seed(3);
            // Sizes that are no multiple of the SIMD width or of the parallel chunk (65,536): 300 × 301 weights.
            using var model = nn.Sequential(("a", nn.Linear(301, 300)), ("r", nn.ReLU()), ("b", nn.Linear(300, 7)));
            var parameters = model.parameters().ToArray();
            using TrainingOptimizer optimizer = fused ? new FusedAdam(parameters, 3e-3, weightDecay) : TrainingOptimizer.Wrap(optim.Adam(parameters, 3e-3, weight_decay: weightDecay));
            using var x = randn(64, 301);
            using var y = randn(64, 7);
            for (int step = 0; step < 6; step++)
            {
                using var scope = NewDisposeScope();
                optimizer.ZeroGrad();
                var loss = nn.functional.mse_loss(model.forward(x), y);
                loss.backward();
                optimizer.Step();
            }
            return parameters.Select(p => p.detach().data<float>().ToArray()).ToArray();
        }
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.01)]
    public void Six_steps_match_libtorch_Adam(double weightDecay)
    {
        var expected = Train(fused: false, weightDecay);
        var actual = Train(fused: true, weightDecay);
        Assert.Equal(expected.Length, actual.Length);
        double largest = 0;
        for (int i = 0; i < expected.Length; i++)
            for (int j = 0; j < expected[i].Length; j++) largest = Math.Max(largest, Math.Abs(expected[i][j] - actual[i][j]));
        Assert.True(largest < 1e-5, $"largest difference {largest:G3}");
        // And the weights moved: six steps of 3e-3 change them by far more than the tolerance.
        torch.manual_seed(3);
        using var initial = nn.Linear(301, 300);
        Assert.True(actual[0].Zip(initial.weight!.detach().data<float>().ToArray()).Max(p => Math.Abs(p.First - p.Second)) > 1e-3);
    }

    [Fact]
    public void Adam_on_CPU_parameters_is_the_fused_one_and_SGD_is_libtorchs()
    {
        using var model = nn.Linear(4, 3);
        var parameters = model.parameters().ToArray();
        var adam = new TrainingSettings(OptimizerKind.Adam, 1e-3, 0, 0, 1, LearningRateSchedule.Constant, 0);
        using (var optimizer = TrainingOptimizer.Create(adam, parameters)) Assert.IsType<FusedAdam>(optimizer);
        using (var optimizer = TrainingOptimizer.Create(adam with { Optimizer = OptimizerKind.SgdMomentum, Momentum = 0.9 }, parameters)) Assert.IsNotType<FusedAdam>(optimizer);
    }
}
