using Microsoft.ML.Autoencoders.Training.Networks;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Microsoft.ML.Autoencoders.Stacked.Training;

/// <summary>The weights of a trained softmax output layer: one row per class over the features, and one bias per class.</summary>
internal sealed record SoftmaxLayer(float[][] Weights, float[] Bias);

/// <summary>
/// An autoencoder's encoder with a linear output layer whose logits feed a softmax (cross-entropy), dropout after every
/// encoder layer in training mode. The autoencoder stays its own: <see cref="Dispose"/> releases the output layer only.
/// </summary>
internal sealed class SoftmaxClassifier : nn.Module<Tensor, Tensor>
{
    private readonly DenseAutoencoderNetwork body;
    private readonly Linear head;
    private readonly double _dropout;

    public SoftmaxClassifier(DenseAutoencoderNetwork body, int classes, double dropout) : base(nameof(SoftmaxClassifier))
    {
        this.body = body;
        head = nn.Linear(body.CodeSize, classes);
        _dropout = dropout;
        RegisterComponents();
    }

    /// <summary>Trainable scalars that take part: the encoder and the output layer (the decoder is idle).</summary>
    public long ParameterCount => body.EncoderParameterCount + head.parameters().Sum(p => p.numel());

    public override Tensor forward(Tensor x) => head.forward(body.Encode(x, _dropout));

    public SoftmaxLayer OutputLayer()
    {
        var w = LayerWeights.From(head);
        return new SoftmaxLayer(Enumerable.Range(0, w.Outputs).Select(c => w.Weight.AsSpan(c * w.Inputs, w.Inputs).ToArray()).ToArray(), w.Bias);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) head.Dispose();
    }
}
