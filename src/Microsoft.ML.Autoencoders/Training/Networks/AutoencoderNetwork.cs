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
    protected AutoencoderNetwork(string name, bool sigmoidOutput) : base(name) => SigmoidOutput = sigmoidOutput;

    /// <summary>True when the reconstruction is sigmoid(decoder output), i.e. the loss is binary cross-entropy on logits.</summary>
    public bool SigmoidOutput { get; }

    /// <summary>Length of one input row.</summary>
    public abstract int InputSize { get; }

    /// <summary>Length of the code vector.</summary>
    public abstract int CodeSize { get; }

    /// <summary>Maps a batch [N, InputSize] to codes [N, CodeSize].</summary>
    public abstract Tensor Encode(Tensor x);

    /// <summary>Maps codes to the decoder's raw output [N, InputSize] (logits when <see cref="SigmoidOutput"/>).</summary>
    public abstract Tensor DecodeRaw(Tensor code);

    /// <summary>Raw decoder output for a batch; the loss works on this (logits for BCE).</summary>
    public override Tensor forward(Tensor x) => DecodeRaw(Encode(x));

    /// <summary>The reconstruction in input units.</summary>
    public Tensor Reconstruct(Tensor x)
    {
        var raw = forward(x);
        return SigmoidOutput ? sigmoid(raw) : raw;
    }

    /// <summary>
    /// Writes the encoder (and, when asked, the decoder) as ONNX nodes that work on one row, shape [InputSize].
    /// Returns the names of the code value and of the reconstruction value (null without decoder).
    /// </summary>
    public (string Code, string? Reconstruction) EmitOnnx(OnnxModelBuilder g, string input, bool withDecoder)
    {
        var code = EmitEncoder(g, input);
        if (!withDecoder) return (code, null);
        var raw = EmitDecoder(g, code);
        return (code, SigmoidOutput ? g.Apply("Sigmoid", [raw]) : raw);
    }

    /// <summary>Encoder as ONNX nodes on a row [InputSize]; returns the code value name ([CodeSize]).</summary>
    protected abstract string EmitEncoder(OnnxModelBuilder g, string input);

    /// <summary>Decoder as ONNX nodes on a code [CodeSize]; returns the raw output name ([InputSize]).</summary>
    protected abstract string EmitDecoder(OnnxModelBuilder g, string code);

    /// <summary>The first layer's weights, one row per unit (its filter over the input), for visualisation.</summary>
    public abstract float[][] FirstLayerFilters();

    /// <summary>Number of trainable scalars.</summary>
    public long ParameterCount => parameters().Sum(p => p.numel());
}
