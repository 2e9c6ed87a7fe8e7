using Microsoft.ML.Autoencoders.Export;
using static TorchSharp.torch;

namespace Microsoft.ML.Autoencoders.Training.Networks;

/// <summary>
/// What every autoencoder family (dense, convolutional, ...) provides to the shared training loop and to
/// ONNX export: an encoder, a decoder, and a way to write both as ONNX nodes.
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

    /// <summary>Maps codes to the decoder's raw output [N, InputSize] (logits unless <see cref="Output"/> is linear).</summary>
    public abstract Tensor DecodeRaw(Tensor code);

    /// <summary>Raw decoder output for a batch; the loss works on this (logits for BCE).</summary>
    public override Tensor forward(Tensor x) => EncodeDecode(x).Raw;

    /// <summary>
    /// Codes and raw decoder output of one batch in one pass. Networks whose decoder needs more than the code
    /// (unpooling reuses the encoder's max-pooling positions) override this.
    /// </summary>
    public virtual (Tensor Code, Tensor Raw) EncodeDecode(Tensor x)
    {
        var code = Encode(x);
        return (code, DecodeRaw(code));
    }

    /// <summary>The reconstruction: in input units, or with a softmax output the row's distribution (the input divided by its sum).</summary>
    public Tensor Reconstruct(Tensor x) => Output.Apply(forward(x));

    /// <summary>
    /// Writes the encoder (and, when asked, the decoder) as ONNX nodes that work on one row, shape [InputSize].
    /// Returns the names of the code value and of the reconstruction value (null without decoder).
    /// </summary>
    public (string Code, string? Reconstruction) EmitOnnx(OnnxModelBuilder g, string input, bool withDecoder, bool batched = false)
    {
        var (code, raw) = EmitEncoderDecoder(g, input, withDecoder, batched);
        if (raw is null) return (code, null);
        return (code, Output.Emit(g, raw));
    }

    /// <summary>
    /// Encoder (and, when asked, decoder) as ONNX nodes on a row [InputSize] — or, when <paramref name="batched"/>, on a
    /// batch [N, InputSize] (encoder only); returns the code and raw output value names.
    /// </summary>
    protected abstract (string Code, string? Raw) EmitEncoderDecoder(OnnxModelBuilder g, string input, bool withDecoder, bool batched);

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
