using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms.Text;

namespace AutoencoderSamples.Common;

/// <summary>
/// Bag of words for retrieval, built from ML.NET's own text transforms: NormalizeText → TokenizeIntoWords →
/// RemoveDefaultStopWords → MapValueToKey over the training set's most frequent words → ProduceNgrams (unigram
/// counts, and TF-IDF with L2 normalisation for the LSA and cosine baselines). The autoencoder reads
/// log(1 + count) divided by its training maximum, so every input is in [0, 1] (sigmoid output + cross-entropy)
/// and frequent words do not swamp rare, topical ones.
/// </summary>
internal sealed class TextFeatures
{
    private sealed class TextRow
    {
        public string Text { get; set; } = "";
    }

    private sealed class WordRow
    {
        public string Word { get; set; } = "";
    }

    private readonly MLContext _ml;
    private readonly ITransformer _model;

    private TextFeatures(MLContext ml, ITransformer model, string[] vocabulary, float scale)
    {
        _ml = ml;
        _model = model;
        Vocabulary = vocabulary;
        Scale = scale;
    }

    /// <summary>The kept words, most frequent first.</summary>
    public string[] Vocabulary { get; }

    /// <summary>The largest log(1 + count) in the training set (the input scaling's divisor).</summary>
    public float Scale { get; }

    /// <summary>Picks the <paramref name="vocabularySize"/> most frequent words of <paramref name="trainTexts"/> and fits the transforms on them.</summary>
    public static TextFeatures Fit(MLContext ml, IReadOnlyList<string> trainTexts, int vocabularySize)
    {
        var data = ml.Data.LoadFromEnumerable(trainTexts.Select(t => new TextRow { Text = t }));
        var tokenizer = Tokenizer(ml).Fit(data);
        var frequency = new Dictionary<string, int>();
        foreach (var tokens in tokenizer.Transform(data).GetColumn<VBuffer<ReadOnlyMemory<char>>>("Tokens"))
            foreach (var token in tokens.DenseValues())
                if (token.Length >= 2) frequency[token.ToString()] = frequency.GetValueOrDefault(token.ToString()) + 1;
        var vocabulary = frequency.OrderByDescending(p => p.Value).ThenBy(p => p.Key, StringComparer.Ordinal).Take(vocabularySize).Select(p => p.Key).ToArray();
        var features = Create(ml, data, vocabulary, scale: 1);
        float scale = features.Counts(trainTexts).Max(row => row.Length == 0 ? 0 : row.Max(c => MathF.Log(1 + c)));
        return new TextFeatures(ml, features._model, vocabulary, scale);
    }

    /// <summary>Files <see cref="Save"/> writes: the fitted ML.NET text pipeline, and the input scale with the vocabulary.</summary>
    public const string ModelFile = "text_features.zip", VocabularyFile = "vocabulary.txt";

    /// <summary>The features a <see cref="Save"/> wrote: the same fitted transforms, so a later process builds identical inputs.</summary>
    public static TextFeatures Load(MLContext ml, string folder)
    {
        var lines = File.ReadAllLines(Path.Combine(folder, VocabularyFile));
        float scale = float.Parse(lines[0], System.Globalization.CultureInfo.InvariantCulture);
        return new TextFeatures(ml, ml.Model.Load(Path.Combine(folder, ModelFile), out _), lines[1..], scale);
    }

    /// <summary>Saves the fitted text pipeline (ML.NET model zip) and the scale and vocabulary (text, for people).</summary>
    public void Save(string folder)
    {
        var schema = _ml.Data.LoadFromEnumerable(Array.Empty<TextRow>()).Schema;
        _ml.Model.Save(_model, schema, Path.Combine(folder, ModelFile));
        File.WriteAllLines(Path.Combine(folder, VocabularyFile), [Scale.ToString("R", System.Globalization.CultureInfo.InvariantCulture), .. Vocabulary]);
    }

    /// <summary>Word counts over the vocabulary, one row per text.</summary>
    public float[][] Counts(IEnumerable<string> texts) => Featurize(texts).Counts;

    /// <summary>
    /// Word counts and L2-normalised TF-IDF (IDF from the training texts) over the vocabulary, one row per text,
    /// from one pass of the text transforms.
    /// </summary>
    public (float[][] Counts, float[][] TfIdf) Featurize(IEnumerable<string> texts)
    {
        var scored = _ml.Data.Cache(_model.Transform(_ml.Data.LoadFromEnumerable(texts.Select(t => new TextRow { Text = t }))), "Counts", "TfIdf");
        return (VectorData.Column(scored, "Counts"), VectorData.Column(scored, "TfIdf"));
    }

    /// <summary>The autoencoder's input: log(1 + count) / <see cref="Scale"/>, clipped to 1 for unseen extremes.</summary>
    public float[] AutoencoderInput(float[] counts) => counts.Select(c => MathF.Min(1, MathF.Log(1 + c) / Scale)).ToArray();

    private static IEstimator<ITransformer> Tokenizer(MLContext ml) =>
        ml.Transforms.Text.NormalizeText("Normalized", nameof(TextRow.Text), TextNormalizingEstimator.CaseMode.Lower,
                keepDiacritics: false, keepPunctuations: false, keepNumbers: false)
            .Append(ml.Transforms.Text.TokenizeIntoWords("Tokens", "Normalized"))
            .Append(ml.Transforms.Text.RemoveDefaultStopWords("Tokens"));

    private static TextFeatures Create(MLContext ml, IDataView train, string[] vocabulary, float scale)
    {
        var words = ml.Data.LoadFromEnumerable(vocabulary.Select(w => new WordRow { Word = w }));
        var pipeline = Tokenizer(ml)
            .Append(ml.Transforms.Conversion.MapValueToKey("Keys", "Tokens", keyData: words))
            .Append(ml.Transforms.Text.ProduceNgrams("Counts", "Keys", ngramLength: 1, useAllLengths: false, weighting: NgramExtractingEstimator.WeightingCriteria.Tf))
            .Append(ml.Transforms.Text.ProduceNgrams("TfIdf", "Keys", ngramLength: 1, useAllLengths: false, weighting: NgramExtractingEstimator.WeightingCriteria.TfIdf))
            .Append(ml.Transforms.NormalizeLpNorm("TfIdf"));
        return new TextFeatures(ml, pipeline.Fit(train), vocabulary, scale);
    }
}
