using Microsoft.ML.Autoencoders.Datasets;
using Microsoft.ML.Autoencoders.Tests.Infrastructure;
using Microsoft.ML.Data;

namespace Microsoft.ML.Autoencoders.Tests.Conformance;

/// <summary>
/// What ML.NET expects of any estimator, checked for every autoencoder family: the schema promised before training is
/// the one the fitted transformer writes (names, kinds, item types, key annotations; the code's size), a Save/Load round
/// trip gives identical outputs, a wrong input column is refused naming it, and ordinary pipelines that depend on the
/// promise (a trainer on the code or the reconstruction, MapKeyToValue on a predicted label) fit as one chain.
/// </summary>
public class EstimatorConformanceTests
{
    private const int CodeSize = 4;

    /// <summary>
    /// Every family, by name: the estimators, and the dense featurizer with each penalty the library defines (found by
    /// reflection, so a new penalty is covered without a line here). A new estimator family is added to
    /// <see cref="FamilyTypes"/> (<see cref="Every_family_is_covered"/> checks).
    /// </summary>
    public static TheoryData<string> Families => [.. FamilyTypes.Keys];

    /// <summary>The penalties the library defines (concrete public subclasses of <see cref="AutoencoderPenalty"/>), each with its defaults.</summary>
    private static IEnumerable<Type> PenaltyTypes => typeof(AutoencoderPenalty).Assembly.GetExportedTypes()
        .Where(t => !t.IsAbstract && typeof(AutoencoderPenalty).IsAssignableFrom(t));

    /// <summary>The options type or penalty each family name stands for (what <see cref="Every_family_is_covered"/> compares with the library).</summary>
    private static readonly Dictionary<string, Type> FamilyTypes = new Dictionary<string, Type>
    {
        ["dense"] = typeof(AutoencoderOptions),
        ["denoising"] = typeof(DenoisingAutoencoderOptions),
        ["convolutional"] = typeof(ConvolutionalAutoencoderOptions),
        ["sequence"] = typeof(SequenceAutoencoderOptions),
        ["variational"] = typeof(VariationalAutoencoderOptions),
        ["stacked-unsupervised"] = typeof(StackedPretrainerOptions),
        ["stacked-supervised"] = typeof(StackedPretrainerOptions),
    }.Concat(PenaltyTypes.Select(t => KeyValuePair.Create($"dense+{t.Name}", t))).ToDictionary();

    private static bool Supervised(string family) => family == "stacked-supervised";

    /// <summary>A small estimator of <paramref name="family"/> on the 784 MNIST pixels; <paramref name="reconstruction"/> also asks for the reconstruction column.</summary>
    private static IEstimator<AutoencoderTransformer> Create(MLContext ml, string family, string? reconstruction = null, string input = "Pixels")
    {
        void Common(AutoencoderOptions o)
        {
            o.CodeSize = CodeSize;
            o.Epochs = 1;
            o.BatchSize = 64;
            o.Seed = 5;
            o.ReconstructionColumnName = reconstruction;
            if (family.Split('+') is [_, var penalty])
                o.Penalties = [(AutoencoderPenalty)Activator.CreateInstance(PenaltyTypes.Single(t => t.Name == penalty))!];
        }
        T With<T>(T o) where T : AutoencoderOptions
        {
            Common(o);
            return o;
        }
        return family.Split('+')[0] switch
        {
            "dense" => ml.Transforms.AutoencoderFeaturizer("Code", input, With(new AutoencoderOptions { EncoderLayers = [16] })),
            "denoising" => ml.Transforms.DenoisingAutoencoder("Code", input, With(new DenoisingAutoencoderOptions { EncoderLayers = [16] })),
            "convolutional" => ml.Transforms.ConvolutionalAutoencoderFeaturizer("Code", input,
                With(new ConvolutionalAutoencoderOptions { ImageHeight = 28, ImageWidth = 28, ConvolutionalLayers = [new(2), new(2)] })),
            "sequence" => ml.Transforms.SequenceAutoencoderFeaturizer("Code", input, With(new SequenceAutoencoderOptions { Channels = 28, Filters = [4, 4], KernelSize = 3 })),
            "variational" => ml.Transforms.VariationalAutoencoder("Code", input, With(new VariationalAutoencoderOptions { EncoderLayers = [16] })),
            "stacked-unsupervised" => ml.Transforms.StackedPretrainer("Code", input,
                With(new StackedPretrainerOptions { EncoderLayers = [16], FineTuning = StackedFineTuning.Unsupervised, FineTuningEpochs = 1 })),
            "stacked-supervised" => ml.Transforms.StackedPretrainer("Code", input,
                With(new StackedPretrainerOptions { EncoderLayers = [16], FineTuningEpochs = 2, LabelColumnName = "Label" })),
            _ => throw new ArgumentOutOfRangeException(nameof(family), family, "Unknown family."),
        };
    }

    /// <summary>300 MNIST images whose Label is a key with value names (the digits), as MapValueToKey makes it.</summary>
    private static IDataView Data(MLContext ml, int rows = 300)
    {
        var raw = TestData.MnistTrainView(ml, rows);
        return ml.Transforms.Conversion.MapValueToKey("Label", "Digit").Fit(raw).Transform(raw);
    }

    [Theory, MemberData(nameof(Families))]
    public void Promised_schema_is_the_fitted_schema(string family)
    {
        var ml = new MLContext(seed: 1);
        var data = Data(ml);
        var estimator = Create(ml, family, reconstruction: Supervised(family) ? null : "Recon");
        var promised = estimator.GetOutputSchema(MLNetInternals.ToSchemaShape(data.Schema));
        using var model = estimator.Fit(data);
        var fitted = model.GetOutputSchema(data.Schema);

        var added = promised.Where(c => data.Schema.GetColumnOrNull(c.Name) is null).ToArray();
        var expected = Supervised(family) ? new[] { "Code", "Score", "PredictedLabel" } : ["Code", "Recon"];
        Assert.Equal(expected.Order(), added.Select(c => c.Name).Order());
        foreach (var column in added)
        {
            var actual = MLNetInternals.ToSchemaShape(fitted).Single(c => c.Name == column.Name);
            Assert.True(column.Kind == actual.Kind, $"{family}: column '{column.Name}' promised {column.Kind}, fitted {actual.Kind}");
            Assert.True(column.ItemType.Equals(actual.ItemType), $"{family}: column '{column.Name}' promised {column.ItemType}, fitted {actual.ItemType}");
            Assert.True(column.IsKey == actual.IsKey, $"{family}: column '{column.Name}' key: promised {column.IsKey}, fitted {actual.IsKey}");
            bool promisedNames = column.Annotations.Any(a => a.Name == "KeyValues"), fittedNames = actual.Annotations.Any(a => a.Name == "KeyValues");
            Assert.True(promisedNames == fittedNames, $"{family}: column '{column.Name}' key names: promised {promisedNames}, fitted {fittedNames}");
            if (promisedNames)
                Assert.Equal(actual.Annotations.Single(a => a.Name == "KeyValues").ItemType, column.Annotations.Single(a => a.Name == "KeyValues").ItemType);
        }
        Assert.Equal(CodeSize, ((VectorDataViewType)fitted["Code"].Type).Size);
        if (!Supervised(family)) Assert.Equal(MnistImage.PixelCount, ((VectorDataViewType)fitted["Recon"].Type).Size);
    }

    [Theory, MemberData(nameof(Families))]
    public void Save_and_load_give_identical_outputs(string family)
    {
        var ml = new MLContext(seed: 1);
        var data = Data(ml, 200);
        using var model = Create(ml, family).Fit(data);
        var path = Path.Combine(Path.GetTempPath(), $"conformance-{family}-{Guid.NewGuid():N}.zip");
        try
        {
            ml.Model.Save(model, data.Schema, path);
            var loaded = new MLContext().Model.Load(path, out _);
            Assert.Equal(Columns.Vectors(model.Transform(data), "Code"), Columns.Vectors(loaded.Transform(data), "Code"));
            if (Supervised(family))
                Assert.Equal(model.Transform(data).GetColumn<uint>("PredictedLabel"), loaded.Transform(data).GetColumn<uint>("PredictedLabel"));
            (loaded as IDisposable)?.Dispose();
        }
        finally
        {
            File.Delete(path);
        }
    }

    private sealed class WrongTypeRow
    {
        public float Pixels { get; set; }
        public uint Label { get; set; }
    }

    [Theory, MemberData(nameof(Families))]
    public void A_wrong_input_column_is_refused_naming_it(string family)
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(Enumerable.Range(0, 10).Select(i => new WrongTypeRow { Pixels = i, Label = 1 }));
        var estimator = Create(ml, family);
        var atPromise = Assert.Throws<ArgumentOutOfRangeException>(() => estimator.GetOutputSchema(MLNetInternals.ToSchemaShape(data.Schema)));
        Assert.Contains("'Pixels'", atPromise.Message);
        var atFit = Assert.Throws<ArgumentOutOfRangeException>(() => estimator.Fit(data));
        Assert.Contains("'Pixels'", atFit.Message);
        var missing = Assert.Throws<ArgumentOutOfRangeException>(() => Create(ml, family, input: "Image").Fit(Data(ml, 20)));
        Assert.Contains("'Image' not found", missing.Message);
    }

    [Theory, MemberData(nameof(Families))]
    public void Ordinary_pipelines_that_read_the_promise_fit_as_one_chain(string family)
    {
        var ml = new MLContext(seed: 1);
        var data = Data(ml);
        IEstimator<ITransformer> chain = Supervised(family)
            // The standard way to get the predicted class back.
            ? Create(ml, family).Append(ml.Transforms.Conversion.MapKeyToValue("PredictedDigit", "PredictedLabel"))
            // A trainer on the code and one on the reconstruction (both need known-size vectors).
            : Create(ml, family, reconstruction: "Recon")
                .Append(ml.MulticlassClassification.Trainers.SdcaMaximumEntropy("Label", "Code", maximumNumberOfIterations: 2))
                .Append(ml.Transforms.CopyColumns("CodeScore", "Score"))
                .Append(ml.MulticlassClassification.Trainers.SdcaMaximumEntropy("Label", "Recon", maximumNumberOfIterations: 2));
        var model = chain.Fit(data);
        var output = model.Transform(data);
        if (Supervised(family))
        {
            var digits = output.GetColumn<int>("PredictedDigit").ToArray();
            Assert.All(digits, d => Assert.InRange(d, 0, 9));
        }
        else Assert.Equal(300, output.GetColumn<float[]>("Score").Count());
        foreach (var part in (IEnumerable<ITransformer>)model) (part as IDisposable)?.Dispose();
    }

    [Fact]
    public void Every_family_is_covered()
    {
        var library = typeof(AutoencoderOptions).Assembly.GetExportedTypes()
            .Where(t => !t.IsAbstract && (typeof(AutoencoderOptions).IsAssignableFrom(t) || typeof(AutoencoderPenalty).IsAssignableFrom(t)));
        var covered = FamilyTypes.Values.ToHashSet();
        Assert.Empty(library.Where(t => !covered.Contains(t)).Select(t => t.Name));
        Assert.Equal(FamilyTypes.Keys.Order(), ((IEnumerable<object[]>)Families).Select(f => (string)f[0]).Order());
    }
}
