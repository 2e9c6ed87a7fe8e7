using Microsoft.ML.Autoencoders.Files;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms.Text;

namespace Microsoft.ML.Autoencoders;

/// <summary>
/// Bag of words for retrieval, built from ML.NET's own text transforms: NormalizeText → TokenizeIntoWords →
/// RemoveDefaultStopWords → MapValueToKey over the training texts' most frequent words → ProduceNgrams (word
/// counts, and TF-IDF with L2 normalisation for LSA and cosine baselines). An autoencoder reads
/// log(1 + count) divided by its training maximum (<see cref="AutoencoderInput"/>), so every input is in [0, 1]
/// (sigmoid output + cross-entropy) and frequent words do not swamp rare, topical ones.
/// </summary>
public sealed class BagOfWords
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

    private BagOfWords(MLContext ml, ITransformer model, string[] vocabulary, float scale, WordInputScaling scaling)
    {
        _ml = ml;
        _model = model;
        Vocabulary = vocabulary;
        Scale = scale;
        InputScaling = scaling;
    }

    /// <summary>How <see cref="AutoencoderInput"/> scales a text's log counts.</summary>
    public WordInputScaling InputScaling { get; }

    /// <summary>
    /// The kept terms: words, most frequent first; with <see cref="BagOfWordsOptions.NgramLength"/> above 1, words and word
    /// sequences (written as ProduceNgrams names them, words joined by '|') in slot order.
    /// </summary>
    public string[] Vocabulary { get; }

    /// <summary>The largest log(1 + count) in the training set (the input scaling's divisor).</summary>
    public float Scale { get; }

    /// <summary>Picks the most frequent terms of <paramref name="trainTexts"/> and fits the transforms on them.</summary>
    public static BagOfWords Fit(MLContext ml, IReadOnlyList<string> trainTexts, BagOfWordsOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(ml);
        ArgumentNullException.ThrowIfNull(trainTexts);
        options ??= new BagOfWordsOptions();
        options.Validate();
        if (trainTexts.Count == 0) throw new ArgumentException("There are no training texts to build a vocabulary from.", nameof(trainTexts));
        var data = ml.Data.LoadFromEnumerable(trainTexts.Select(t => new TextRow { Text = t ?? "" }));
        var tokenizer = Tokenizer(ml, options.RemoveStopWords).Fit(data);
        var frequency = new Dictionary<string, int>();
        foreach (var tokens in tokenizer.Transform(data).GetColumn<VBuffer<ReadOnlyMemory<char>>>("Tokens"))
            foreach (var token in tokens.DenseValues())
                if (token.Length >= options.MinimumWordLength) frequency[token.ToString()] = frequency.GetValueOrDefault(token.ToString()) + 1;
        if (frequency.Count == 0)
            throw new InvalidDataException($"The {trainTexts.Count} training texts hold no word of {options.MinimumWordLength}+ letters" + (options.RemoveStopWords ? " that is not a stop word." : "."));
        var byFrequency = frequency.OrderByDescending(p => p.Value).ThenBy(p => p.Key, StringComparer.Ordinal).Select(p => p.Key);
        string[] vocabulary;
        ITransformer model;
        if (options.NgramLength == 1)
        {
            vocabulary = byFrequency.Take(options.VocabularySize).ToArray();
            model = WordCounts(ml, vocabulary, options.RemoveStopWords).Fit(data);
        }
        else
        {
            model = FitNgrams(ml, trainTexts, byFrequency.ToArray(), options);
            vocabulary = SlotNames(ml, model).Where(IsVocabularyTerm).ToArray();
        }
        var unscaled = new BagOfWords(ml, model, vocabulary, scale: 1, WordInputScaling.MaxLogCount);
        float scale = unscaled.Counts(trainTexts).Max(row => row.Length == 0 ? 0 : row.Max(c => MathF.Log(1 + c)));
        return new BagOfWords(ml, model, vocabulary, Math.Max(scale, MathF.Log(2)), options.InputScaling);
    }

    /// <summary>How ProduceNgrams names a word outside the vocabulary inside its slot names.</summary>
    private const string UnknownWord = "*";

    /// <summary>
    /// False for a slot that stands for (a sequence with) a word outside the vocabulary: a fitted ProduceNgrams names that
    /// word '*', and the same transform loaded from a model zip names it with an empty string.
    /// </summary>
    private static bool IsVocabularyTerm(string term) => term.Split('|').All(word => word.Length > 0 && word != UnknownWord);

    /// <summary>
    /// Length of the feature vectors: one slot per vocabulary word, plus one that ProduceNgrams keeps for words outside
    /// the vocabulary when the training texts had such words.
    /// </summary>
    public int FeatureCount => ((VectorDataViewType)_model.GetOutputSchema(_ml.Data.LoadFromEnumerable(Array.Empty<TextRow>()).Schema)["Counts"].Type).Size;

    /// <summary>Files <see cref="Save"/> writes: the fitted ML.NET text pipeline, and the input scale with the vocabulary.</summary>
    public const string ModelFile = "text_features.zip", VocabularyFile = "vocabulary.txt";

    /// <summary>The features a <see cref="Save"/> wrote: the same fitted transforms, so a later process builds identical inputs.</summary>
    public static BagOfWords Load(MLContext ml, string folder)
    {
        ArgumentNullException.ThrowIfNull(ml);
        var vocabularyPath = Path.Combine(folder, VocabularyFile);
        if (!File.Exists(vocabularyPath)) throw new FileNotFoundException($"'{Path.GetFullPath(vocabularyPath)}' does not exist (BagOfWords.Save writes it).", vocabularyPath);
        var lines = File.ReadAllLines(vocabularyPath);
        // First line: the scale, followed by " unit-length" when inputs are scaled to unit length (files without it: MaxLogCount).
        var header = lines.Length < 2 ? [] : lines[0].Split(' ');
        var scaling = header.Length == 2 && header[1] == UnitLengthTag ? WordInputScaling.UnitLength : WordInputScaling.MaxLogCount;
        if (header.Length is < 1 or > 2 || header.Length == 2 && header[1] != UnitLengthTag
            || !float.TryParse(header[0], System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out float scale) || !(scale > 0))
            throw new InvalidDataException($"'{Path.GetFullPath(vocabularyPath)}' is not a vocabulary file: its first line must be the input scale (and '{UnitLengthTag}' for unit-length inputs), and the words must follow.");
        var model = ml.Model.LoadVerified(Path.Combine(folder, ModelFile), out _);
        // The vocabulary file is for people, but Vocabulary and HasKnownWords read it: it must list the model's own terms.
        var vocabulary = lines[1..].Select(UnescapeLine).ToArray();
        var terms = SlotNames(ml, model).Where(IsVocabularyTerm).ToHashSet(StringComparer.Ordinal);
        if (terms.Count != vocabulary.Length || !terms.SetEquals(vocabulary))
            throw new InvalidDataException($"'{Path.GetFullPath(vocabularyPath)}' lists {lines.Length - 1} terms that are not the {terms.Count} terms of " +
                $"'{Path.GetFullPath(Path.Combine(folder, ModelFile))}': the files come from different saves, or one was edited.");
        return new BagOfWords(ml, model, vocabulary, scale, scaling);
    }

    /// <summary>Saves the fitted text pipeline (ML.NET model zip) and the scale and vocabulary (text, for people).</summary>
    public void Save(string folder)
    {
        Directory.CreateDirectory(folder);
        var schema = _ml.Data.LoadFromEnumerable(Array.Empty<TextRow>()).Schema;
        AtomicFile.Write(Path.Combine(folder, ModelFile), "the text features", stream => _ml.Model.Save(_model, schema, stream));
        AtomicFile.Write(Path.Combine(folder, VocabularyFile), "the vocabulary", stream =>
        {
            using var writer = new StreamWriter(stream, leaveOpen: true);
            writer.WriteLine(Scale.ToString("R", System.Globalization.CultureInfo.InvariantCulture) + (InputScaling == WordInputScaling.UnitLength ? " " + UnitLengthTag : ""));
            foreach (var word in Vocabulary) writer.WriteLine(EscapeLine(word));
        });
    }

    /// <summary>True when <paramref name="text"/> holds at least one vocabulary term.</summary>
    public bool HasKnownWords(string text)
    {
        var counts = Counts([text])[0];
        var vocabulary = Vocabulary.ToHashSet(StringComparer.Ordinal);
        var slotNames = SlotNames(_ml, _model);
        return counts.Where((c, i) => c > 0 && i < slotNames.Length && vocabulary.Contains(slotNames[i])).Any();
    }

    private static string[] SlotNames(MLContext ml, ITransformer model)
    {
        var names = default(VBuffer<ReadOnlyMemory<char>>);
        model.GetOutputSchema(ml.Data.LoadFromEnumerable(Array.Empty<TextRow>()).Schema)["Counts"].GetSlotNames(ref names);
        return names.DenseValues().Select(n => n.ToString()).ToArray();
    }

    /// <summary>A term as one line of the vocabulary file: a word may hold a line break (the tokenizer splits at spaces only), written as \n.</summary>
    private static string EscapeLine(string term) => term.Replace("\\", "\\\\").Replace("\r", "\\r").Replace("\n", "\\n");

    private static string UnescapeLine(string line)
    {
        var text = new System.Text.StringBuilder(line.Length);
        for (int i = 0; i < line.Length; i++)
        {
            if (line[i] != '\\' || i + 1 == line.Length) { text.Append(line[i]); continue; }
            char next = line[++i];
            text.Append(next switch { 'n' => '\n', 'r' => '\r', _ => next });
        }
        return text.ToString();
    }

    /// <summary>Word counts over the vocabulary, one row per text.</summary>
    public float[][] Counts(IEnumerable<string> texts) => Featurize(texts).Counts;

    /// <summary>
    /// Word counts and L2-normalised TF-IDF (IDF from the training texts) over the vocabulary, one row per text,
    /// from one pass of the text transforms.
    /// </summary>
    public (float[][] Counts, float[][] TfIdf) Featurize(IEnumerable<string> texts)
    {
        var scored = _model.Transform(_ml.Data.LoadFromEnumerable(texts.Select(t => new TextRow { Text = t ?? "" })));
        var counts = new List<float[]>();
        var tfidf = new List<float[]>();
        using var cursor = scored.GetRowCursor(scored.Schema.Where(c => c.Name is "Counts" or "TfIdf"));
        var getCounts = cursor.GetGetter<VBuffer<float>>(scored.Schema["Counts"]);
        var getTfIdf = cursor.GetGetter<VBuffer<float>>(scored.Schema["TfIdf"]);
        VBuffer<float> buffer = default;
        while (cursor.MoveNext())
        {
            getCounts(ref buffer);
            counts.Add(buffer.DenseValues().ToArray());
            getTfIdf(ref buffer);
            tfidf.Add(buffer.DenseValues().ToArray());
        }
        return ([.. counts], [.. tfidf]);
    }

    private const string UnitLengthTag = "unit-length";

    /// <summary>
    /// The autoencoder's input: log(1 + count) / <see cref="Scale"/>, clipped to 1 for unseen extremes
    /// (<see cref="WordInputScaling.MaxLogCount"/>), or log(1 + count) scaled to unit length (<see cref="WordInputScaling.UnitLength"/>).
    /// </summary>
    public float[] AutoencoderInput(float[] counts)
    {
        var logs = counts.Select(c => MathF.Log(1 + c)).ToArray();
        if (InputScaling == WordInputScaling.MaxLogCount) return logs.Select(v => MathF.Min(1, v / Scale)).ToArray();
        float norm = System.Numerics.Tensors.TensorPrimitives.Norm<float>(logs);
        if (norm > 0) System.Numerics.Tensors.TensorPrimitives.Divide(logs, norm, logs);
        return logs;
    }

    /// <summary>
    /// Where words end. TokenizeIntoWords splits at spaces only by default, and NormalizeText keeps line breaks and tabs:
    /// "oil\nprices" would be one token (on Reuters, every title's last word glued to the body's first).
    /// </summary>
    private static readonly char[] WordSeparators = [' ', '\t', '\n', '\r', '\f', '\v'];

    private static IEstimator<ITransformer> Tokenizer(MLContext ml, bool removeStopWords)
    {
        var tokens = ml.Transforms.Text.NormalizeText("Normalized", nameof(TextRow.Text), TextNormalizingEstimator.CaseMode.Lower,
                keepDiacritics: false, keepPunctuations: false, keepNumbers: false)
            .Append(ml.Transforms.Text.TokenizeIntoWords("Tokens", "Normalized", WordSeparators));
        return removeStopWords ? tokens.Append(ml.Transforms.Text.RemoveDefaultStopWords("Tokens")) : tokens;
    }

    private static IEstimator<ITransformer> Keys(MLContext ml, string[] words, bool removeStopWords) =>
        Tokenizer(ml, removeStopWords).Append(ml.Transforms.Conversion.MapValueToKey("Keys", "Tokens", keyData: ml.Data.LoadFromEnumerable(words.Select(w => new WordRow { Word = w }))));

    private static IEstimator<ITransformer> WordCounts(MLContext ml, string[] vocabulary, bool removeStopWords) =>
        Keys(ml, vocabulary, removeStopWords)
            .Append(ml.Transforms.Text.ProduceNgrams("Counts", "Keys", ngramLength: 1, useAllLengths: false, weighting: NgramExtractingEstimator.WeightingCriteria.Tf))
            .Append(ml.Transforms.Text.ProduceNgrams("TfIdf", "Keys", ngramLength: 1, useAllLengths: false, weighting: NgramExtractingEstimator.WeightingCriteria.TfIdf))
            .Append(ml.Transforms.NormalizeLpNorm("TfIdf"));

    /// <summary>
    /// Words and word sequences up to <see cref="BagOfWordsOptions.NgramLength"/>, all stock ML.NET transforms: ProduceNgrams over
    /// every word (it keeps the first n-grams it meets up to its limit, so the limit is set out of reach), then
    /// SelectFeaturesBasedOnCount keeps the terms found in at least as many training texts as the
    /// <see cref="BagOfWordsOptions.VocabularySize"/>-th most widespread one.
    /// </summary>
    private static ITransformer FitNgrams(MLContext ml, IReadOnlyList<string> trainTexts, string[] words, BagOfWordsOptions options)
    {
        const int everyNgram = 100_000_000;
        // One empty text among the fitted rows keeps every IDF above zero (log((n + 1) / df)), so a term found in every
        // training text still has non-zero TF-IDF and both columns keep the same slots; it adds to no term's count.
        var withEmpty = ml.Data.LoadFromEnumerable(trainTexts.Append("").Select(t => new TextRow { Text = t ?? "" }));
        var ngrams = Keys(ml, words, options.RemoveStopWords)
            .Append(ml.Transforms.Text.ProduceNgrams("Counts", "Keys", options.NgramLength, useAllLengths: true, maximumNgramsCount: everyNgram, weighting: NgramExtractingEstimator.WeightingCriteria.Tf))
            .Append(ml.Transforms.Text.ProduceNgrams("TfIdf", "Keys", options.NgramLength, useAllLengths: true, maximumNgramsCount: everyNgram, weighting: NgramExtractingEstimator.WeightingCriteria.TfIdf))
            .Fit(withEmpty);
        var counted = ngrams.Transform(withEmpty);
        var documentFrequency = DocumentFrequencies(counted, "Counts");
        Array.Sort(documentFrequency, (a, b) => b.CompareTo(a));
        long threshold = Math.Max(1, documentFrequency[Math.Min(options.VocabularySize, documentFrequency.Length) - 1]);
        var selection = ml.Transforms.FeatureSelection.SelectFeaturesBasedOnCount("Counts", count: threshold)
            .Append(ml.Transforms.FeatureSelection.SelectFeaturesBasedOnCount("TfIdf", count: threshold))
            .Append(ml.Transforms.NormalizeLpNorm("TfIdf"))
            .Fit(counted);
        var model = ngrams.Append(selection);
        var schema = model.GetOutputSchema(withEmpty.Schema);
        if (((VectorDataViewType)schema["Counts"].Type).Size != ((VectorDataViewType)schema["TfIdf"].Type).Size)
            throw new InvalidOperationException($"The n-gram counts ({schema["Counts"].Type}) and TF-IDF ({schema["TfIdf"].Type}) kept different terms.");
        return model;
    }

    /// <summary>In how many rows each slot of a vector column is non-zero.</summary>
    private static int[] DocumentFrequencies(IDataView data, string column)
    {
        var frequency = new int[((VectorDataViewType)data.Schema[column].Type).Size];
        using var cursor = data.GetRowCursor([data.Schema[column]]);
        var getter = cursor.GetGetter<VBuffer<float>>(data.Schema[column]);
        VBuffer<float> row = default;
        while (cursor.MoveNext())
        {
            getter(ref row);
            var values = row.GetValues();
            var indices = row.GetIndices();
            for (int i = 0; i < values.Length; i++)
                if (values[i] != 0) frequency[row.IsDense ? i : indices[i]]++;
        }
        return frequency;
    }
}
