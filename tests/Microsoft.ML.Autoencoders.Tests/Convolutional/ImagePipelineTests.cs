using Microsoft.ML.Autoencoders.Datasets;
using Microsoft.ML.Autoencoders.Tests.Infrastructure;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms.Image;

namespace Microsoft.ML.Autoencoders.Tests.Convolutional;

/// <summary>Folder of images → LoadImages → ResizeImages → ExtractPixels → convolutional autoencoder → code index, through the public API.</summary>
public sealed class ImagePipelineTests : IDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("ae-shapes-");

    public void Dispose() => _folder.Delete(recursive: true);

    private static IEstimator<ITransformer> Pixels(MLContext ml, int side) =>
        ml.Transforms.LoadImages("Image", imageFolder: null, inputColumnName: nameof(ImageFile.ImagePath))
            .Append(ml.Transforms.ResizeImages("Image", side, side))
            .Append(ml.Transforms.ExtractPixels("Pixels", "Image", scaleImage: 1f / 255));

    [Fact]
    public void Colour_images_from_a_folder_train_a_convolutional_autoencoder_whose_codes_find_same_class_images_first()
    {
        ShapeImages.Write(_folder.FullName, perClass: 40);
        var ml = new MLContext(seed: 1);
        var files = ImageFolder.Load(ml, _folder.FullName);
        var options = new ConvolutionalAutoencoderOptions
        {
            ConvolutionalLayers = [new(8), new(16)], CodeSize = 8, Epochs = 40, BatchSize = 16, LearningRate = 3e-3, Seed = 3,
            ReconstructionErrorColumnName = "Error",
        };
        var pipeline = Pixels(ml, 24).Append(ml.Transforms.ConvolutionalAutoencoderFeaturizer("Code", "Pixels", options));
        var model = pipeline.Fit(files);
        var scored = model.Transform(files);

        Assert.Equal(new VectorDataViewType(NumberDataViewType.Single, 3, 24, 24), scored.Schema["Pixels"].Type);
        var pixels = Columns.Vectors(scored, "Pixels");
        double meanPredictor = SyntheticData.MeanPredictorSse(pixels);
        double error = Columns.Errors(scored, "Error").Average();
        Assert.True(error < 0.5 * meanPredictor, $"conv AE SSE {error:F2} vs mean predictor {meanPredictor:F2}");

        // Each image queries all the others: its nearest neighbours should be of its own class, more often than in pixel space.
        var labels = scored.GetColumn<string>("Label").ToArray();
        double PrecisionAt5(string column)
        {
            var hits = CodeIndex.Create(scored, column).Search(scored, column, k: 6);
            return hits.Select((h, q) => h.Where(x => x.Row != q).Take(5).Count(x => labels[x.Row] == labels[q]) / 5.0).Average();
        }
        double byCodes = PrecisionAt5("Code"), byPixels = PrecisionAt5("Pixels");
        Assert.True(byCodes >= 0.95 && byCodes > byPixels, $"precision@5 by codes {byCodes:F3}, by pixels {byPixels:F3} (chance is 0.33)");

        // Saved and reloaded through ML.NET alone, the model gives the same codes.
        var path = Path.Combine(_folder.FullName, "model.zip");
        ml.Model.Save(model, files.Schema, path);
        var reloaded = new MLContext().Model.Load(path, out _).Transform(files);
        var before = Columns.Vectors(scored, "Code");
        var after = Columns.Vectors(reloaded, "Code");
        for (int i = 0; i < before.Count; i++) Assert.Equal(before[i], after[i]);
    }

    [Fact]
    public void Grayscale_images_give_one_plane_and_the_shape_comes_from_the_column()
    {
        ShapeImages.Write(_folder.FullName, perClass: 8);
        var ml = new MLContext(seed: 1);
        var pipeline = ml.Transforms.LoadImages("Image", null, nameof(ImageFile.ImagePath))
            .Append(ml.Transforms.ResizeImages("Image", 16, 16))
            .Append(ml.Transforms.ConvertToGrayscale("Image"))
            .Append(ml.Transforms.ExtractPixels("Pixels", "Image", ImagePixelExtractingEstimator.ColorBits.Red, scaleImage: 1f / 255))
            .Append(ml.Transforms.ConvolutionalAutoencoderFeaturizer("Code", "Pixels", new ConvolutionalAutoencoderOptions { ConvolutionalLayers = [new(4)], CodeSize = 4, Epochs = 1 }));
        var model = pipeline.Fit(ImageFolder.Load(ml, _folder.FullName));
        var ae = model.LastTransformer;
        Assert.Equal(256, ae.InputSize);
        Assert.Equal(4, ae.CodeSize);
    }

    [Fact]
    public void Unreadable_and_non_image_files_are_named_or_skipped_when_asked()
    {
        ShapeImages.Write(_folder.FullName, perClass: 3);
        var broken = Path.Combine(_folder.FullName, "ring", "broken.png");
        File.WriteAllBytes(broken, [0x89, 0x50, 0x4E, 0x47, 1, 2, 3]);
        var text = Path.Combine(_folder.FullName, "notes.txt");
        File.WriteAllText(text, "not an image");

        var e = Assert.Throws<InvalidDataException>(() => ImageFolder.List(_folder.FullName));
        Assert.Contains(text, e.Message); // the first bad file in path order, and a count of the rest
        Assert.Contains("1 more", e.Message);

        var skipped = new List<string>();
        var reasons = new Dictionary<string, string>();
        var images = ImageFolder.List(_folder.FullName, skipUnreadable: true, onSkipped: (path, why) => { skipped.Add(path); reasons[path] = why; });
        // The decoder's own message was "Invalid path (Parameter 'imagePath')" for a file that exists.
        Assert.Contains("do not decode as an image", reasons[broken]);
        Assert.DoesNotContain("Invalid path", reasons[broken]);
        Assert.Equal(9, images.Count);
        Assert.Equal([text, broken], skipped.Order(StringComparer.Ordinal));
        Assert.Equal(["ring", "square", "stripes"], images.Select(i => i.Label).Distinct());

        Assert.Throws<DirectoryNotFoundException>(() => ImageFolder.List(Path.Combine(_folder.FullName, "missing")));
    }

    [Fact]
    public void Image_shape_and_layers_that_do_not_fit_are_rejected_with_the_column_named()
    {
        var ml = new MLContext(seed: 1);
        var flat = ml.Data.LoadFromEnumerable(SyntheticData.LowRank(20, seed: 1));
        var noShape = Assert.Throws<ArgumentOutOfRangeException>(() => ml.Transforms.ConvolutionalAutoencoderFeaturizer("Code", "Features").Fit(flat));
        Assert.Contains("'Features'", noShape.Message);
        Assert.Contains("ImageHeight", noShape.Message);

        var wrongSize = Assert.Throws<ArgumentOutOfRangeException>(() => ml.Transforms.ConvolutionalAutoencoderFeaturizer("Code", "Features",
            new ConvolutionalAutoencoderOptions { ImageHeight = 5, ImageWidth = 5 }).Fit(flat));
        Assert.Contains("'Features'", wrongSize.Message);

        var tooDeep = Assert.Throws<ArgumentOutOfRangeException>(() => ml.Transforms.ConvolutionalAutoencoderFeaturizer("Code", "Features",
            new ConvolutionalAutoencoderOptions { ImageHeight = 4, ImageWidth = 4, ImageChannels = SyntheticData.Dimension / 16, ConvolutionalLayers = [new(2), new(2), new(2)] }).Fit(flat));
        Assert.Contains("stage 2", tooDeep.Message);

        Assert.Throws<ArgumentOutOfRangeException>(() => ml.Transforms.ConvolutionalAutoencoderFeaturizer("Code", "Features", new ConvolutionalAutoencoderOptions { ConvolutionalLayers = [] }));
        Assert.Throws<ArgumentOutOfRangeException>(() => ml.Transforms.ConvolutionalAutoencoderFeaturizer("Code", "Features", new ConvolutionalAutoencoderOptions { ConvolutionalLayers = [new(0)] }));
        Assert.Throws<ArgumentOutOfRangeException>(() => ml.Transforms.ConvolutionalAutoencoderFeaturizer("Code", "Features", new ConvolutionalAutoencoderOptions { ImageHeight = 4 }));
    }
}
