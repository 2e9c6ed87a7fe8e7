using Microsoft.ML.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.Autoencoders.Training.Augmentation;

/// <summary>Applies an <see cref="ImageAugmentation"/> to batches of flattened images [N, C·H·W] (planes first).</summary>
internal sealed class Augmenter
{
    private readonly ImageAugmentation _settings;
    private readonly ImageShape _image;

    private Augmenter(ImageAugmentation settings, ImageShape image) => (_settings, _image) = (settings, image);

    /// <summary>The augmenter <paramref name="settings"/> ask for on <paramref name="column"/>, or null when they ask for none.</summary>
    public static Augmenter? For(ImageAugmentation? settings, DataViewSchema schema, string column)
    {
        if (settings is null || settings.MaxShift == 0 && !settings.HorizontalFlip) return null;
        if (settings.OnlyForImageColumns && !IsImage(schema, column, settings)) return null;
        var image = ImageShape.Resolve(schema, column, settings.ImageChannels, settings.ImageHeight, settings.ImageWidth, "AutoencoderOptions.Augmentation");
        if (settings.MaxShift >= Math.Min(image.Height, image.Width))
            throw new ArgumentOutOfRangeException("Augmentation.MaxShift", settings.MaxShift,
                $"Option 'Augmentation.MaxShift' is {settings.MaxShift} pixels, but the images in column '{column}' are {image}: a shift must be smaller than each side.");
        return new Augmenter(settings, image);
    }

    private static bool IsImage(DataViewSchema schema, string column, ImageAugmentation settings)
    {
        if (settings.ImageHeight is int h && settings.ImageWidth is int w) return Math.Min(h, w) >= settings.MaxShift + ImageAugmentation.MinimumSideForAutomatic;
        if (schema[column].Type is not VectorDataViewType { Dimensions: var dims } || dims.Length is not (2 or 3)) return false;
        return Math.Min(dims[^1], dims[^2]) >= settings.MaxShift + ImageAugmentation.MinimumSideForAutomatic;
    }

    public Tensor Apply(Tensor rows)
    {
        long n = rows.shape[0];
        int c = _image.Channels, h = _image.Height, w = _image.Width, k = _settings.MaxShift;
        long draws = _settings.Scope == AugmentationScope.PerRow ? n : 1;
        var x = rows.view(n, c, h, w);
        if (k > 0)
        {
            int side = 2 * k + 1;
            var shift = randint(0, side * side, [draws], device: rows.device);
            var padded = nn.functional.pad(x, [k, k, k, k]);
            Tensor? moved = null;
            for (int s = 0; s < side * side; s++)
            {
                int dy = s / side - k, dx = s % side - k;
                // The image moved by (dx, dy): output pixel (i, j) reads input pixel (i − dy, j − dx), zero outside.
                var window = padded[.., .., (k - dy)..(k - dy + h), (k - dx)..(k - dx + w)];
                var chosen = (shift == s).view(draws, 1, 1, 1);
                moved = moved is null ? where(chosen, window, zeros_like(x)) : where(chosen, window, moved);
            }
            x = moved!;
        }
        if (_settings.HorizontalFlip)
        {
            var flip = (rand([draws], device: rows.device) < 0.5).view(draws, 1, 1, 1);
            x = where(flip, x.flip(3), x);
        }
        return x.reshape(n, c * h * w);
    }
}
