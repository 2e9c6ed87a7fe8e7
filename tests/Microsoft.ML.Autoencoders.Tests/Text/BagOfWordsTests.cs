namespace Microsoft.ML.Autoencoders.Tests.Text;

/// <summary>The words → counts step: single words and word sequences (n-grams) through ML.NET's text transforms.</summary>
public sealed class BagOfWordsTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "bow-" + Guid.NewGuid().ToString("N"));

    private static readonly string[] Words = ["alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel", "india", "juliet", "kilo", "lima"];

    /// <summary>Texts of random words, some holding the planted pair "crude prices", every one holding "report".</summary>
    private static List<string> Texts(int count, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(i =>
        {
            var words = Enumerable.Range(0, 6 + random.Next(6)).Select(_ => Words[random.Next(random.Next(1, Words.Length + 1))]).ToList();
            if (i % 3 == 0) words.Insert(random.Next(words.Count + 1), "crude prices");
            words.Insert(random.Next(words.Count + 1), "report");
            return string.Join(' ', words) + ".";
        }).ToList();
    }

    /// <summary>In how many texts each word and each pair of adjacent words occurs (the texts are lower-case words and one full stop).</summary>
    private static Dictionary<string, int> DocumentFrequencies(IEnumerable<string> texts)
    {
        var frequency = new Dictionary<string, int>();
        foreach (var text in texts)
        {
            var tokens = text.TrimEnd('.').Split(' ');
            var terms = tokens.Concat(tokens.Zip(tokens.Skip(1), (a, b) => $"{a}|{b}")).ToHashSet();
            foreach (var term in terms) frequency[term] = frequency.GetValueOrDefault(term) + 1;
        }
        return frequency;
    }

    [Fact]
    public void Word_pairs_compete_with_words_for_the_vocabulary_by_document_frequency()
    {
        var ml = new MLContext(seed: 1);
        var texts = Texts(300, seed: 1);
        const int size = 40;
        var words = BagOfWords.Fit(ml, texts, new BagOfWordsOptions { VocabularySize = size, NgramLength = 2 });

        // The kept terms are exactly those found in at least as many texts as the size-th most widespread term.
        var frequency = DocumentFrequencies(texts);
        int cut = frequency.Values.OrderByDescending(f => f).ElementAt(size - 1);
        var expected = frequency.Where(p => p.Value >= cut).Select(p => p.Key).ToHashSet();
        Assert.True(expected.SetEquals(words.Vocabulary), $"cut {cut}; expected only: {string.Join(", ", expected.Except(words.Vocabulary).Select(t => $"{t} {frequency[t]}"))}; kept only: {string.Join(", ", words.Vocabulary.Except(expected).Select(t => $"{t} {frequency.GetValueOrDefault(t)}"))}");
        Assert.Contains("crude|prices", words.Vocabulary);
        Assert.Contains(words.Vocabulary, t => t.Contains('|') && t != "crude|prices");

        // A text is counted by word and by pair; TF-IDF keeps the same slots, and a word found in every text still weighs.
        var (counts, tfidf) = words.Featurize(["report on crude prices"]);
        Assert.Equal(words.FeatureCount, counts[0].Length);
        Assert.Equal(words.FeatureCount, tfidf[0].Length);
        // Stop words go before pairs are formed ("on"), so the text's terms are these five, counted where kept.
        string[] terms = ["report", "crude", "prices", "report|crude", "crude|prices"];
        Assert.Equal(terms.Count(words.Vocabulary.Contains), counts[0].Sum());
        Assert.True(tfidf[0].Count(v => v > 0) == counts[0].Count(c => c > 0), "every counted term has a positive TF-IDF weight ('report' is in every text)");
        Assert.True(words.HasKnownWords("crude prices"));
        Assert.False(words.HasKnownWords("zebra quantum"));

        // Saved and loaded: the same counts.
        words.Save(_folder);
        var loaded = BagOfWords.Load(new MLContext(), _folder);
        Assert.Equal(words.Vocabulary, loaded.Vocabulary);
        Assert.Equal(counts[0], loaded.Counts(["report on crude prices"])[0]);
    }

    [Fact]
    public void Single_words_by_default_and_bad_lengths_are_named()
    {
        var ml = new MLContext(seed: 1);
        var words = BagOfWords.Fit(ml, Texts(100, seed: 2), new BagOfWordsOptions { VocabularySize = 5 });
        Assert.Equal(5, words.Vocabulary.Length);
        Assert.DoesNotContain(words.Vocabulary, t => t.Contains('|'));
        foreach (int length in new[] { 0, BagOfWordsOptions.MaximumNgramLength + 1 })
        {
            var error = Assert.Throws<ArgumentOutOfRangeException>(() => BagOfWords.Fit(ml, ["a text"], new BagOfWordsOptions { NgramLength = length }));
            Assert.Contains(nameof(BagOfWordsOptions.NgramLength), error.Message);
        }
    }

    public void Dispose()
    {
        if (Directory.Exists(_folder)) Directory.Delete(_folder, recursive: true);
    }
}
