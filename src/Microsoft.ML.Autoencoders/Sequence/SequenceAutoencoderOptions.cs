namespace Microsoft.ML.Autoencoders;

/// <summary>
/// Options of <see cref="SequenceAutoencoderFeaturizer"/>: a temporal-convolution autoencoder over windows of a time
/// series, each row a window of <see cref="Channels"/> channels flattened in [time, channel] order (as
/// <see cref="StreamingAnomalyDetector"/> writes them), plus everything <see cref="AutoencoderOptions"/> has.
/// <see cref="AutoencoderOptions.EncoderLayers"/> are the dense layers between the flattened last convolution and the
/// code (none by default); no augmentation by default (image shifts mean nothing for a window).
/// </summary>
public sealed class SequenceAutoencoderOptions : AutoencoderOptions
{
    /// <summary>Creates options with the defaults of <see cref="SequenceAutoencoderFeaturizer.Defaults"/>.</summary>
    public SequenceAutoencoderOptions()
    {
        EncoderLayers = [];
        CodeSize = SequenceAutoencoderFeaturizer.Defaults.CodeSize;
        Augmentation = null;
    }

    /// <summary>Values per time step (the window has the row's size ÷ Channels steps).</summary>
    public int Channels { get; set; } = 1;

    /// <summary>Filters of each stride-2 convolution stage, input side first (each halves the time length).</summary>
    public int[] Filters { get; set; } = [.. SequenceAutoencoderFeaturizer.Defaults.Filters];

    /// <summary>Time steps each convolution spans (odd: zero padding KernelSize / 2 keeps it centred).</summary>
    public int KernelSize { get; set; } = SequenceAutoencoderFeaturizer.Defaults.KernelSize;

    internal override IAutoencoderEstimator CreateEstimator(Microsoft.ML.Runtime.IHostEnvironment env, string outputColumnName, string inputColumnName) =>
        new SequenceAutoencoderFeaturizer(env, outputColumnName, inputColumnName, this);

    internal override void Validate()
    {
        base.Validate();
        if (Channels < 1) throw Bad(nameof(Channels), Channels, "must be at least 1");
        if (Filters is null || Filters.Length == 0 || Filters.Any(f => f < 1)) throw Bad(nameof(Filters), Filters is null ? "null" : $"[{string.Join(", ", Filters)}]", "must hold at least one positive filter count");
        if (KernelSize < 1 || KernelSize % 2 == 0) throw Bad(nameof(KernelSize), KernelSize, "must be a positive odd number");
    }
}
