using Microsoft.ML.Data;

namespace Microsoft.ML.Autoencoders;

/// <summary>Channels × height × width of the images a vector column holds, in ML.NET's ExtractPixels order (planes first).</summary>
/// <param name="Channels">Colour planes (1 for grayscale, 3 for RGB).</param>
/// <param name="Height">Rows of pixels.</param>
/// <param name="Width">Columns of pixels.</param>
public sealed record ImageShape(int Channels, int Height, int Width)
{
    /// <summary>Values per image.</summary>
    public int Size => Channels * Height * Width;

    /// <inheritdoc/>
    public override string ToString() => $"{Channels}×{Height}×{Width}";

    /// <summary>
    /// The shape from the options when they give height and width, otherwise from the column's vector
    /// dimensions (ExtractPixels writes [channels, height, width]); throws naming the column when neither says.
    /// </summary>
    internal static ImageShape Resolve(DataViewSchema schema, string column, int? channels, int? height, int? width, string options = nameof(ConvolutionalAutoencoderOptions))
    {
        var type = (VectorDataViewType)schema[column].Type;
        ImageShape shape;
        if (height is int h && width is int w)
            shape = new ImageShape(channels ?? type.Size / Math.Max(1, h * w), h, w);
        else if (type.Dimensions.Length == 3)
            shape = new ImageShape(type.Dimensions[0], type.Dimensions[1], type.Dimensions[2]);
        else if (type.Dimensions.Length == 2)
            shape = new ImageShape(1, type.Dimensions[0], type.Dimensions[1]);
        else
            throw new ArgumentOutOfRangeException(nameof(column),
                $"Input column '{column}' is a flat {type} with no image dimensions: set ImageHeight and ImageWidth (and ImageChannels) " +
                $"in {options}, or produce the column with ExtractPixels, which records [channels, height, width].");
        if (shape.Size != type.Size || shape.Channels < 1)
            throw new ArgumentOutOfRangeException(nameof(column),
                $"Input column '{column}' holds {type.Size} values per row, which is not a {shape} image (channels × height × width = {shape.Size}).");
        return shape;
    }
}
