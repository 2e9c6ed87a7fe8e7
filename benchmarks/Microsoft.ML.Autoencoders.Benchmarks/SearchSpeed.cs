using System.Diagnostics;
using AutoencoderSamples.Common;
using Microsoft.ML;
using Microsoft.ML.Autoencoders;
using Microsoft.ML.Autoencoders.Datasets;

namespace AutoencoderBenchmarks;

/// <summary>
/// Search: queries/s of exact cosine search over the training set's 30-d autoencoder codes vs over its raw 784-d
/// pixels, and of Hamming search over the same codes as 30-bit binary codes (test images as queries).
/// </summary>
internal static class SearchSpeed
{
    public static IEnumerable<BenchmarkRow> Run(IReadOnlyList<MnistImage> train, IReadOnlyList<MnistImage> test, bool quick)
    {
        var ml = new MLContext(seed: 1);
        var view = ml.Data.LoadFromEnumerable(train);
        using var ae = ml.Transforms.AutoencoderFeaturizer("Code", "Pixels", new AutoencoderOptions
        {
            EncoderLayers = [256], CodeSize = 30, Epochs = 1, BatchSize = 128, CacheInMemory = true, Seed = 1,
        }).Fit(view);
        var codes = VectorData.Column(ae.Transform(view), "Code");
        var queries = test.Take(quick ? 200 : 1000).ToArray();
        var queryCodes = VectorData.Column(ae.Transform(ml.Data.LoadFromEnumerable(queries)), "Code");

        double QueriesPerSecond(Func<SearchHit[][]> search)
        {
            search(); // warm-up (JIT, thread pool)
            var clock = Stopwatch.StartNew();
            search();
            return queries.Length / clock.Elapsed.TotalSeconds;
        }
        var pixelIndex = CodeIndex.Create(train.Select(t => t.Pixels).ToArray());
        var codeIndex = CodeIndex.Create(codes);
        var bits = BinaryCodeIndex.Create(codes);
        var queryPixels = queries.Select(q => q.Pixels).ToArray();
        double pixels = QueriesPerSecond(() => pixelIndex.Search(queryPixels, 10));
        double dense = QueriesPerSecond(() => codeIndex.Search(queryCodes, 10));
        double hamming = QueriesPerSecond(() => bits.Search(queryCodes, 10));
        yield return new BenchmarkRow("cosine_search_queries_per_second", $"Exact cosine search over {train.Count} 30-d codes (queries/s)", dense, "over the raw 784-d pixels (queries/s)", pixels, "report", dense / pixels);
        yield return new BenchmarkRow("hamming_search_queries_per_second", $"Hamming search over {train.Count} 30-bit codes (queries/s)", hamming, "exact cosine over the 30-d codes (queries/s)", dense, "report", hamming / dense);

        // A large collection (issue 20's choice): the real training codes plus random codes up to a million rows (quick:
        // 100,000), each random code's units drawn independently from that unit's values among the real codes (so every
        // bit keeps its balance but the codes carry no structure); as 30-bit codes, multi-index hashing against scanning
        // every row, identical results.
        int rows = quick ? 100_000 : 1_000_000;
        var random = new Random(3);
        var large = codes.Concat(Enumerable.Range(0, rows - codes.Length).Select(_ =>
            Enumerable.Range(0, codes[0].Length).Select(j => codes[random.Next(codes.Length)][j]).ToArray())).ToArray();
        var largeBits = BinaryCodeIndex.Create(large);
        var build = Stopwatch.StartNew();
        largeBits.Search(queryCodes[0], 10); // builds the hash tables
        double buildSeconds = build.Elapsed.TotalSeconds;
        double QueriesPerSecondOneByOne(Func<float[], SearchHit[]> search)
        {
            var clock = Stopwatch.StartNew();
            foreach (var q in queryCodes) search(q);
            return queryCodes.Length / clock.Elapsed.TotalSeconds;
        }
        long answeredBefore = largeBits.MultiIndexAnswers;
        double viaTables = QueriesPerSecondOneByOne(q => largeBits.Search(q, 10));
        long answered = largeBits.MultiIndexAnswers - answeredBefore;
        double viaScan = QueriesPerSecondOneByOne(q => largeBits.SearchByScan(q, 10));
        bool identical = queryCodes.All(q => largeBits.Search(q, 10).SequenceEqual(largeBits.SearchByScan(q, 10)));
        yield return new BenchmarkRow(rows == 1_000_000 ? "hamming_1m_queries_per_second" : $"hamming_{rows / 1000}k_queries_per_second", $"Hamming 10-NN over {rows:N0} 30-bit codes ({codes.Length:N0} real, the rest random), multi-index hashing, one thread (queries/s; {largeBits.DistinctCodes:N0} distinct codes, tables built in {buildSeconds:F1} s; {answered} of {queryCodes.Length} queries answered from the tables, the others scanned; identical to the scan: {identical})",
            viaTables, "scanning every row, one thread (queries/s)", viaScan, "≥ 10,000 queries/s over 1M codes (issue 20)", viaTables / viaScan);

        // Exact cosine over the same large collection: one batched call for all queries (matrix products in parallel).
        var largeIndex = CodeIndex.Create(large);
        double cosineLarge = QueriesPerSecond(() => largeIndex.Search(queryCodes, 10));
        yield return new BenchmarkRow(rows == 1_000_000 ? "cosine_1m_queries_per_second" : $"cosine_{rows / 1000}k_queries_per_second",
            $"Exact cosine 10-NN over {rows:N0} 30-d codes, batched queries (queries/s)", cosineLarge, $"over {train.Count:N0} codes (queries/s)", dense, "report", cosineLarge / dense);

        // Approximate cosine (HNSW through USearch) over the same codes: queries/s one by one, and recall@10 against the exact hits.
        string size = rows == 1_000_000 ? "1m" : $"{rows / 1000}k";
        var buildClock = Stopwatch.StartNew();
        const int buildBreadth = 16; // one thread inserts; USearch's default breadth (128) would take most of ten minutes for 1M codes
        using var approximate = ApproximateCodeIndex.Create(large, buildBreadth: buildBreadth);
        double approximateBuild = buildClock.Elapsed.TotalSeconds;
        var exactHits = largeIndex.Search(queryCodes, 10);
        var approximateHits = approximate.Search(queryCodes, 10);
        double recall = approximateHits.Select((hits, q) => hits.Select(h => h.Row).Intersect(exactHits[q].Select(h => h.Row)).Count() / 10.0).Average();
        double approximateRate = QueriesPerSecondOneByOne(q => approximate.Search(q, 10));
        yield return new BenchmarkRow($"approximate_{size}_queries_per_second", $"Approximate cosine 10-NN over {rows:N0} 30-d codes (HNSW, USearch, build breadth {buildBreadth}; built in {approximateBuild:F0} s), one query at a time (queries/s)",
            approximateRate, "exact cosine, batched queries (queries/s)", cosineLarge, "report", approximateRate / cosineLarge);
        yield return new BenchmarkRow($"approximate_{size}_recall_at_10", $"Approximate cosine over {rows:N0} codes: recall@10 against the exact hits", recall, "exact", 1, "report", recall);
    }
}
