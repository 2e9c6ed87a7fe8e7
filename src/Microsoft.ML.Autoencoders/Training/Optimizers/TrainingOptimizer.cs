using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Microsoft.ML.Autoencoders.Training.Optimizers;

/// <summary>What the training loop needs of an optimiser: set the learning rate, clear the gradients, take a step.</summary>
internal abstract class TrainingOptimizer : IDisposable
{
    public abstract double LearningRate { set; }
    public abstract void ZeroGrad();
    public abstract void Step();
    public abstract void Dispose();

    /// <summary>
    /// Adam on CPU parameters is <see cref="FusedAdam"/> (one pass over memory per step instead of libtorch's several);
    /// on a GPU, Adam is libtorch's; SGD with momentum is always libtorch's.
    /// </summary>
    public static TrainingOptimizer Create(TrainingSettings s, Parameter[] parameters) => s.Optimizer switch
    {
        OptimizerKind.Adam when FusedAdam.Supports(parameters) => new FusedAdam(parameters, s.LearningRate, s.WeightDecay),
        OptimizerKind.Adam => new Torch(optim.Adam(parameters, s.LearningRate, weight_decay: s.WeightDecay)),
        OptimizerKind.SgdMomentum => new Torch(optim.SGD(parameters, s.LearningRate, momentum: s.Momentum, weight_decay: s.WeightDecay)),
        _ => throw new ArgumentOutOfRangeException(nameof(s.Optimizer), s.Optimizer, "Unknown optimizer."),
    };

    /// <summary>A libtorch optimiser behind this interface.</summary>
    public static TrainingOptimizer Wrap(optim.Optimizer optimizer) => new Torch(optimizer);

    private sealed class Torch(optim.Optimizer optimizer) : TrainingOptimizer
    {
        public override double LearningRate
        {
            set { foreach (var group in optimizer.ParamGroups) group.LearningRate = value; }
        }

        public override void ZeroGrad() => optimizer.zero_grad();
        public override void Step() => optimizer.step();
        public override void Dispose() => optimizer.Dispose();
    }
}
