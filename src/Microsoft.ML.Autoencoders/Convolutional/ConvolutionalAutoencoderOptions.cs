namespace Microsoft.ML.Autoencoders;

/// <summary>
/// Options of <see cref="ConvolutionalAutoencoderFeaturizer"/>: the convolutional stages, the image shape, the
/// decoder kind, and everything <see cref="AutoencoderOptions"/> has (code size, activation, training, penalties,
/// extra outputs). <see cref="AutoencoderOptions.EncoderLayers"/> are the dense layers between the flattened last convolutional
/// stage and the code (none by default); the decoder mirrors them unless <see cref="AutoencoderOptions.DecoderLayers"/> is set.
/// </summary>
public sealed class ConvolutionalAutoencoderOptions : AutoencoderOptions
{
    /// <summary>Creates options with the defaults of <see cref="ConvolutionalAutoencoderFeaturizer.Defaults"/>.</summary>
    public ConvolutionalAutoencoderOptions()
    {
        EncoderLayers = [];
    }

    /// <summary>Encoder stages, input side first. The decoder runs them backwards.</summary>
    public ConvolutionalLayer[] ConvolutionalLayers { get; set; } = [.. ConvolutionalAutoencoderFeaturizer.Defaults.ConvolutionalLayers];

    /// <summary>How the decoder undoes max pooling.</summary>
    public ConvolutionalDecoder Decoder { get; set; } = ConvolutionalDecoder.Unpooling;

    /// <summary>
    /// With the unpooling decoder: the share of training rows, drawn afresh each batch, whose decoder does not get the
    /// encoder's pooling positions (each pooled value is spread evenly over its window instead), so the code has to
    /// hold where things are as well as what they are — codes that search and classify better, at some cost in
    /// reconstruction error. Scoring and validation always use the positions. 0 is plain unpooling. Default
    /// <see cref="ConvolutionalAutoencoderFeaturizer.Defaults.PositionDropout"/>.
    /// </summary>
    public double PositionDropout { get; set; } = ConvolutionalAutoencoderFeaturizer.Defaults.PositionDropout;

    /// <summary>Image height; null takes it from the input column's dimensions (as ExtractPixels writes them).</summary>
    public int? ImageHeight { get; set; }

    /// <summary>Image width; null takes it from the input column's dimensions.</summary>
    public int? ImageWidth { get; set; }

    /// <summary>Colour planes; null takes them from the column's dimensions, or from its size ÷ (height × width).</summary>
    public int? ImageChannels { get; set; }

    internal override IAutoencoderEstimator CreateEstimator(Microsoft.ML.Runtime.IHostEnvironment env, string outputColumnName, string inputColumnName) =>
        new ConvolutionalAutoencoderFeaturizer(env, outputColumnName, inputColumnName, this);

    internal override void Validate()
    {
        base.Validate();
        if (ConvolutionalLayers is null || ConvolutionalLayers.Length == 0) throw Bad(nameof(ConvolutionalLayers), "empty", "must hold at least one convolutional stage");
        for (int i = 0; i < ConvolutionalLayers.Length; i++)
        {
            var l = ConvolutionalLayers[i] ?? throw Bad(nameof(ConvolutionalLayers), "null", $"entry {i} is null; each entry");
            if (l.Channels < 1 || l.KernelSize < 1 || l.Stride < 1 || l.PoolSize < 1)
                throw Bad(nameof(ConvolutionalLayers), l, $"entry {i} must have positive Channels, KernelSize, Stride and PoolSize; it");
        }
        if (!Enum.IsDefined(Decoder)) throw Bad(nameof(Decoder), Decoder, "is not a known decoder");
        if (!(PositionDropout >= 0 && PositionDropout <= 1)) throw Bad(nameof(PositionDropout), PositionDropout, "must be in [0, 1]");
        foreach (var (name, value) in new[] { (nameof(ImageHeight), ImageHeight), (nameof(ImageWidth), ImageWidth), (nameof(ImageChannels), ImageChannels) })
            if (value is < 1) throw Bad(name, value, "must be positive (or null to read it from the column)");
        if (ImageHeight.HasValue != ImageWidth.HasValue)
            throw Bad(ImageHeight.HasValue ? nameof(ImageWidth) : nameof(ImageHeight), "null", "must be set together with the other image side");
    }
}
