using Microsoft.ML.Autoencoders.Onnx;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Microsoft.ML.Autoencoders.Training.Networks;

/// <summary>
/// Convolutional autoencoder on rows that hold one image each (planes first, as ExtractPixels writes them).
/// Encoder: per stage Conv2d → activation → MaxPool2d with argmax indices; then flatten → dense layers → code.
/// Decoder: dense layers → reshape → per stage (last first) unpooling with those indices (or nearest upsampling)
/// back to the pre-pooling size → ConvTranspose2d → activation (none after the last, whose output is raw).
/// Each operation is defined with its ONNX nodes in <see cref="ConvolutionOps"/>; every convolution pass goes through
/// <see cref="ForwardOnlyConvolution"/> (libtorch's transposed convolution is wrong on some CPUs).
/// In training, an unpooling decoder withholds the positions from a share of the rows (position dropout): each of their
/// pooled values is spread evenly over its window — what unpooling gives on average when the position is unknown — so
/// the code itself has to say where things are.
/// </summary>
internal sealed class ConvolutionalAutoencoderNetwork : AutoencoderNetwork
{
    /// <summary>Sizes one stage sees: input planes and sides, after convolution, after pooling.</summary>
    private sealed record Stage(ConvolutionalLayer Layer, int InChannels, int InHeight, int InWidth,
        int ConvHeight, int ConvWidth, int OutHeight, int OutWidth, int OutputPadding)
    {
        public int Padding => Layer.KernelSize / 2;
        public bool Pools => Layer.PoolSize > 1;
    }

    private readonly ModuleList<Conv2d> convolutions = new();
    private readonly ModuleList<ConvTranspose2d> deconvolutions = new();
    private readonly ModuleList<Linear> encoderDense;
    private readonly ModuleList<Linear> decoderDense;
    private readonly Stage[] _stages;
    private readonly ImageShape _image;
    private readonly ActivationFunction _activation;
    private readonly ActivationFunction _codeActivation;
    private readonly ConvolutionalDecoder _decoderKind;
    private readonly double _positionDropout;
    private readonly int _flatSize;

    public ConvolutionalAutoencoderNetwork(ImageShape image, IReadOnlyList<ConvolutionalLayer> layers, IReadOnlyList<int> encoderLayers,
        int codeSize, IReadOnlyList<int> decoderLayers, ActivationFunction activation, ActivationFunction codeActivation,
        ConvolutionalDecoder decoder, ReconstructionOutput output, double positionDropout = 0)
        : base(nameof(ConvolutionalAutoencoderNetwork), output)
    {
        _positionDropout = positionDropout;
        _image = image;
        _activation = activation;
        _codeActivation = codeActivation;
        _decoderKind = decoder;
        CodeSize = codeSize;
        _stages = PlanStages(image, layers);
        foreach (var s in _stages)
        {
            var l = s.Layer;
            convolutions.Add(nn.Conv2d(s.InChannels, l.Channels, l.KernelSize, stride: l.Stride, padding: s.Padding));
            deconvolutions.Add(nn.ConvTranspose2d(l.Channels, s.InChannels, l.KernelSize, stride: l.Stride, padding: s.Padding, output_padding: s.OutputPadding));
        }
        var last = _stages[^1];
        _flatSize = last.Layer.Channels * last.OutHeight * last.OutWidth;
        encoderDense = DenseLayers.Chain([_flatSize, .. encoderLayers, codeSize]);
        decoderDense = DenseLayers.Chain([codeSize, .. decoderLayers, _flatSize]);
        RegisterComponents();
    }

    /// <summary>The network <paramref name="o"/> describes for images of <paramref name="image"/>.</summary>
    public static ConvolutionalAutoencoderNetwork FromOptions(ImageShape image, ConvolutionalAutoencoderOptions o, ReconstructionOutput output)
    {
        int[] dense = o.EncoderLayers ?? [];   // the dense layers after the convolutions: none unless given
        int[] decoder = o.DecoderLayers ?? [.. dense.Reverse()];
        var last = PlanStages(image, o.ConvolutionalLayers)[^1];
        int flat = last.Layer.Channels * last.OutHeight * last.OutWidth;
        long convolutions = o.ConvolutionalLayers.Select((l, i) => 2L * l.Channels * (i == 0 ? image.Channels : o.ConvolutionalLayers[i - 1].Channels) * l.KernelSize * l.KernelSize).Sum();
        NetworkSize.CheckTrainable(convolutions + NetworkSize.DenseParameters([flat, .. dense, o.CodeSize]) + NetworkSize.DenseParameters([o.CodeSize, .. decoder, flat]),
            $"{nameof(o.ConvolutionalLayers)}, {nameof(o.EncoderLayers)}, {nameof(o.CodeSize)} and {nameof(o.DecoderLayers)}");
        return new(image, o.ConvolutionalLayers, dense, o.CodeSize, decoder, o.Activation, o.CodeActivation, o.Decoder, output, o.PositionDropout);
    }

    public override int InputSize => _image.Size;
    public override int CodeSize { get; }

    public override Tensor Encode(Tensor x) => EncodeWithIndices(x).Code;

    public override ForwardPass Run(Tensor x)
    {
        var (code, indices) = EncodeWithIndices(x);
        if (_decoderKind != ConvolutionalDecoder.Unpooling) return new(code, Decode(code, null));
        // Position dropout: the rows drawn here decode without the pooling positions (the same rows at every stage).
        var withoutPositions = training && _positionDropout > 0 ? rand([x.shape[0], 1, 1, 1], device: x.device) < _positionDropout : null;
        return new(code, Decode(code, indices, withoutPositions));
    }

    /// <summary>The decoder from codes alone; only an upsampling decoder can (unpooling needs the encoder's max-pooling positions).</summary>
    public Tensor DecodeWithoutPositions(Tensor code) => Decode(code, null);

    public override float[][] FirstLayerFilters() => WeightRows(convolutions[0].weight!);

    /// <summary>Throws, naming the stage, when <paramref name="layers"/> do not fit images of <paramref name="image"/> (checked before any data is read).</summary>
    public static void CheckFits(ImageShape image, IReadOnlyList<ConvolutionalLayer> layers) => PlanStages(image, layers);

    private (Tensor Code, Tensor?[] Indices) EncodeWithIndices(Tensor x)
    {
        var indices = new Tensor?[_stages.Length];
        x = x.view(-1, _image.Channels, _image.Height, _image.Width);
        for (int i = 0; i < _stages.Length; i++)
        {
            x = _activation.Apply(ConvolutionOps.Convolve(convolutions[i], x, _stages[i].Layer.Stride, _stages[i].Padding));
            if (_stages[i].Pools)
            {
                (x, indices[i]) = ConvolutionOps.MaxPool(x, _stages[i].Layer.PoolSize);
            }
        }
        return (DenseLayers.Run(encoderDense, x.flatten(1), _activation, _codeActivation), indices);
    }

    /// <param name="code">The codes [N, CodeSize].</param>
    /// <param name="indices">The encoder's max-pooling positions per stage (unpooling decoder), or null.</param>
    /// <param name="withoutPositions">Rows [N, 1, 1, 1] whose unpooling spreads each value evenly over its window instead; null: none.</param>
    private Tensor Decode(Tensor code, Tensor?[]? indices, Tensor? withoutPositions = null)
    {
        var x = DenseLayers.Run(decoderDense, code, _activation, _activation);
        var last = _stages[^1];
        x = x.view(-1, last.Layer.Channels, last.OutHeight, last.OutWidth);
        for (int i = _stages.Length - 1; i >= 0; i--)
        {
            var s = _stages[i];
            if (s.Pools)
            {
                Tensor Upsampled() => ConvolutionOps.Upsample(x, s.ConvHeight, s.ConvWidth);
                x = indices is null ? Upsampled()
                    : withoutPositions is null ? ConvolutionOps.Unpool(x, indices[i]!, s.ConvHeight, s.ConvWidth)
                    : where(withoutPositions, Upsampled() / (s.Layer.PoolSize * s.Layer.PoolSize), ConvolutionOps.Unpool(x, indices[i]!, s.ConvHeight, s.ConvWidth));
            }
            x = ConvolutionOps.ConvolveTransposed(deconvolutions[i], x, s.Layer.Stride, s.Padding, s.OutputPadding);
            if (i > 0) x = _activation.Apply(x);
        }
        return x.flatten(1);
    }

    public override string EmitEncoder(OnnxModelBuilder g, string input, bool batched) => EmitEncoderWithIndices(g, input, batched).Code;

    private (string Code, string?[] Indices) EmitEncoderWithIndices(OnnxModelBuilder g, string input, bool batched)
    {
        var indices = new string?[_stages.Length];
        var x = g.Apply("Reshape", [input, g.AddInt64Initializer("image_shape", -1, _image.Channels, _image.Height, _image.Width)]);
        for (int i = 0; i < _stages.Length; i++)
        {
            var s = _stages[i];
            x = ConvolutionOps.EmitConvolve(g, convolutions[i], x, s.Layer.Stride, s.Padding, $"conv{i}");
            x = _activation.Emit(g, x);
            if (s.Pools) (x, indices[i]) = ConvolutionOps.EmitMaxPool(g, x, s.Layer.PoolSize);
        }
        x = g.Apply("Reshape", [x, batched ? g.AddInt64Initializer("flat", -1, _flatSize) : g.AddInt64Initializer("flat", _flatSize)]);
        return (DenseLayers.Emit(g, encoderDense, x, _activation, _codeActivation, "enc"), indices);
    }

    /// <summary>The decoder's unpooling and resizing are exported with the shapes of one image.</summary>
    public override bool CanEmitBatchedDecoder => false;

    protected override (string Code, string Raw) EmitEncoderDecoder(OnnxModelBuilder g, string input, bool batched)
    {
        var (code, indices) = EmitEncoderWithIndices(g, input, batched: false);
        var x = DenseLayers.Emit(g, decoderDense, code, _activation, _activation, "dec");
        var last = _stages[^1];
        x = g.Apply("Reshape", [x, g.AddInt64Initializer("bottleneck_shape", 1, last.Layer.Channels, last.OutHeight, last.OutWidth)]);
        for (int i = _stages.Length - 1; i >= 0; i--)
        {
            var s = _stages[i];
            if (s.Pools)
            {
                long[] size = [1, s.Layer.Channels, s.ConvHeight, s.ConvWidth];
                x = _decoderKind == ConvolutionalDecoder.Unpooling
                    ? ConvolutionOps.EmitUnpool(g, x, indices[i]!, s.Layer.PoolSize, size)
                    : ConvolutionOps.EmitUpsample(g, x, size);
            }
            x = ConvolutionOps.EmitConvolveTransposed(g, deconvolutions[i], x, s.Layer.Stride, s.Padding, s.OutputPadding, $"deconv{i}");
            if (i > 0) x = _activation.Emit(g, x);
        }
        return (code, g.Apply("Reshape", [x, g.AddInt64Initializer("row", _image.Size)]));
    }

    /// <summary>Works out every stage's sizes; throws naming the stage when the image gets too small or cannot be restored exactly.</summary>
    private static Stage[] PlanStages(ImageShape image, IReadOnlyList<ConvolutionalLayer> layers)
    {
        var stages = new Stage[layers.Count];
        int channels = image.Channels, h = image.Height, w = image.Width;
        for (int i = 0; i < layers.Count; i++)
        {
            var l = layers[i];
            int pad = l.KernelSize / 2;
            int convH = (h + 2 * pad - l.KernelSize) / l.Stride + 1, convW = (w + 2 * pad - l.KernelSize) / l.Stride + 1;
            int outH = convH / l.PoolSize, outW = convW / l.PoolSize;
            if (convH < 1 || convW < 1 || outH < 1 || outW < 1)
                throw new ArgumentOutOfRangeException(nameof(layers),
                    $"Convolutional stage {i} ({l}) gets a {h}×{w} input and would shrink it below 1×1: use fewer stages, smaller strides or pooling, or larger images.");
            // ConvTranspose2d gives (convH − 1)·stride − 2·pad + kernel (+ output padding < stride): pick the padding that restores h exactly.
            int opH = h - ((convH - 1) * l.Stride - 2 * pad + l.KernelSize), opW = w - ((convW - 1) * l.Stride - 2 * pad + l.KernelSize);
            int limit = Math.Max(l.Stride, 1);
            if (opH < 0 || opH >= limit || opW < 0 || opW >= limit)
                throw new ArgumentOutOfRangeException(nameof(layers),
                    $"Convolutional stage {i} ({l}) on a {h}×{w} input cannot be inverted exactly by ConvTranspose2d; choose an odd kernel size or a stride that divides the input side.");
            if (opH != opW)
                throw new ArgumentOutOfRangeException(nameof(layers),
                    $"Convolutional stage {i} ({l}) on a {h}×{w} input needs different output padding for height and width; use square images or stride 1.");
            stages[i] = new Stage(l, channels, h, w, convH, convW, outH, outW, opH);
            channels = l.Channels; h = outH; w = outW;
        }
        return stages;
    }
}
