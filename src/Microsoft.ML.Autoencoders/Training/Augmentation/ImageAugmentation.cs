namespace Microsoft.ML.Autoencoders;

/// <summary>
/// Training-time image augmentation, an option part of every family (<see cref="AutoencoderOptions.Augmentation"/>):
/// each training mini-batch is moved by a random translation of up to <see cref="MaxShift"/> pixels (the uncovered
/// border filled with zeros) and, optionally, mirrored left-right — the input and the target alike, before any
/// denoising corruption. Fresh draws every step, from the training seed. Validation rows and scoring are never augmented.
/// The image shape comes from the column (ExtractPixels records [channels, height, width]) or from
/// <see cref="ImageHeight"/> / <see cref="ImageWidth"/> / <see cref="ImageChannels"/> for flat vectors; it is never guessed.
/// </summary>
public sealed class ImageAugmentation
{
    /// <summary>Largest translation in pixels along each axis: shifts (dx, dy) are drawn uniformly from {−k, …, k}². 0 turns translation off.</summary>
    public int MaxShift { get; set; } = 1;

    /// <summary>Also mirror half of the images left-right (right for photos, wrong for digits or text).</summary>
    public bool HorizontalFlip { get; set; }

    /// <summary>A fresh draw for every row (the default), or one draw shared by the whole mini-batch.</summary>
    public AugmentationScope Scope { get; set; } = AugmentationScope.PerRow;

    /// <summary>Image height for a flat vector column; null reads it from the column's dimensions.</summary>
    public int? ImageHeight { get; set; }

    /// <summary>Image width for a flat vector column; null reads it from the column's dimensions.</summary>
    public int? ImageWidth { get; set; }

    /// <summary>Colour planes; null reads them from the column's dimensions, or from its size ÷ (height × width).</summary>
    public int? ImageChannels { get; set; }

    /// <summary>
    /// True: augment only columns whose image shape is known (ExtractPixels' [channels, height, width], or
    /// <see cref="ImageHeight"/>/<see cref="ImageWidth"/>) and whose sides exceed <see cref="MaxShift"/> by
    /// <see cref="MinimumSideForAutomatic"/> or more; other columns (documents, tabular features) are trained as they are.
    /// False (the default for an instance you create): a column without an image shape is an error.
    /// </summary>
    public bool OnlyForImageColumns { get; set; }

    /// <summary>The smallest image side <see cref="OnlyForImageColumns"/> augments.</summary>
    public const int MinimumSideForAutomatic = 8;

    /// <summary>
    /// The default of <see cref="AutoencoderOptions.Augmentation"/>: shifts of up to 1 pixel, no flips, for image columns only.
    /// Chosen on 800 Fashion-MNIST images and checked on 800 MNIST digits (image-search --images; README "Defaults that adapt to the data").
    /// </summary>
    public static ImageAugmentation ForImageColumns() => new() { MaxShift = 1, OnlyForImageColumns = true };

    internal void Validate(string option)
    {
        if (MaxShift < 0) throw Bad(option, nameof(MaxShift), MaxShift, "must be zero or positive");
        if (!Enum.IsDefined(Scope)) throw Bad(option, nameof(Scope), Scope, "is not a known augmentation scope");
        foreach (var (name, value) in new[] { (nameof(ImageHeight), ImageHeight), (nameof(ImageWidth), ImageWidth), (nameof(ImageChannels), ImageChannels) })
            if (value is < 1) throw Bad(option, name, value, "must be positive (or null to read it from the column)");
        if (ImageHeight.HasValue != ImageWidth.HasValue)
            throw Bad(option, ImageHeight.HasValue ? nameof(ImageWidth) : nameof(ImageHeight), null, "must be set together with the other image side");
    }

    private static ArgumentOutOfRangeException Bad(string option, string setting, object? value, string rule) =>
        new($"{option}.{setting}", value, $"Option '{option}.{setting}' {rule}; got {value?.ToString() ?? "null"}.");
}

/// <summary>How often <see cref="ImageAugmentation"/> draws a new transformation.</summary>
public enum AugmentationScope
{
    /// <summary>Every row of a mini-batch gets its own translation and flip.</summary>
    PerRow,
    /// <summary>One translation and flip for the whole mini-batch.</summary>
    PerBatch,
}
