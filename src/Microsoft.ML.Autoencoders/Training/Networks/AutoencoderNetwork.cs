using Microsoft.ML.Autoencoders.Onnx;
using static TorchSharp.torch;

namespace Microsoft.ML.Autoencoders.Training.Networks;

/// <summary>
/// What one training pass of a network produces: the code and the decoder's raw output (logits unless the output is
/// linear). A family whose objective needs more (a variational family's mean and log-variance) returns a derived
/// record, and its objective terms read it.
/// </summary>
internal record ForwardPass(Tensor Code, Tensor Raw);

/// <summary>
/// What every autoencoder network (dense, convolutional, ...) provides to the shared training loop and to ONNX
/// export: an encoder, a forward pass through encoder and decoder, and both written as ONNX nodes.
/// Inputs are batches of flattened rows, shape [batch, InputSize].
/// </summary>
internal abstract class AutoencoderNetwork : nn.Module<Tensor, Tensor>
{
    protected AutoencoderNetwork(string name, ReconstructionOutput output) : base(name) => Output = output;

    /// <summary>How the decoder's raw output becomes the reconstruction (sigmoid for binary cross-entropy, softmax for multinomial).</summary>
    public ReconstructionOutput Output { get; }

    /// <summary>Length of one input row.</summary>
    public abstract int InputSize { get; }

    /// <summary>Length of the code vector.</summary>
    public abstract int CodeSize { get; }

    /// <summary>Maps a batch [N, InputSize] to codes [N, CodeSize].</summary>
    public abstract Tensor Encode(Tensor x);

    /// <summary>Code and raw decoder output of one batch in one pass (a decoder may use more than the code: unpooling reuses the encoder's max-pooling positions).</summary>
    public abstract ForwardPass Run(Tensor x);

    /// <summary>Raw decoder output for a batch; the loss works on this (logits for BCE).</summary>
    public override Tensor forward(Tensor x) => Run(x).Raw;

    /// <summary>The reconstruction: in input units, or with a softmax output the row's distribution (the input divided by its sum).</summary>
    public Tensor Reconstruct(Tensor x) => Output.Apply(forward(x));

    /// <summary>The encoder as ONNX nodes on a row [InputSize], or when <paramref name="batched"/> on a batch [N, InputSize]; returns the code's value name.</summary>
    public abstract string EmitEncoder(OnnxModelBuilder g, string input, bool batched);

    /// <summary>
    /// Encoder and decoder as ONNX nodes on a row [InputSize], or when <paramref name="batched"/> (and
    /// <see cref="CanEmitBatchedDecoder"/>) on a batch [N, InputSize]; returns the code's and the reconstruction's value names.
    /// </summary>
    public (string Code, string Reconstruction) EmitAutoencoder(OnnxModelBuilder g, string input, bool batched = false)
    {
        if (batched && !CanEmitBatchedDecoder) throw new NotSupportedException($"{GetType().Name} exports its decoder for one row at a time only.");
        var (code, raw) = EmitEncoderDecoder(g, input, batched);
        return (code, Output.Emit(g, raw));
    }

    /// <summary>Whether the decoder can be exported on batches of rows (the encoder always can).</summary>
    public virtual bool CanEmitBatchedDecoder => true;

    /// <summary>Encoder and decoder on a row or a batch; returns the code and the raw output value names.</summary>
    protected abstract (string Code, string Raw) EmitEncoderDecoder(OnnxModelBuilder g, string input, bool batched);

    /// <summary>The first layer's weights, one row per unit (its filter over the input), for visualisation.</summary>
    public abstract float[][] FirstLayerFilters();

    /// <summary>A weight tensor [units, …] as one flat array per unit.</summary>
    protected static float[][] WeightRows(Tensor weight)
    {
        using var scope = NewDisposeScope();
        var w = weight.detach().cpu().contiguous();
        int units = (int)w.shape[0], size = (int)(w.numel() / units);
        var values = w.data<float>().ToArray();
        return Enumerable.Range(0, units).Select(u => values.AsSpan(u * size, size).ToArray()).ToArray();
    }

    /// <summary>Number of trainable scalars.</summary>
    public long ParameterCount => parameters().Sum(p => p.numel());
}
