using Microsoft.ML.Autoencoders.Datasets;
using Microsoft.ML.Autoencoders.Tests.Infrastructure;
using Microsoft.ML.Data;

namespace Microsoft.ML.Autoencoders.Tests.Reliability;

/// <summary>
/// Every disposable public type, used by several threads while another disposes it: no crash, no NullReferenceException
/// or native error — each use either completes or throws <see cref="ObjectDisposedException"/> naming the type — and
/// every use after Dispose throws that exception.
/// </summary>
public sealed class DisposalConcurrencyTests
{
    private const int Workers = 4;

    private static readonly MLContext Ml = new(seed: 1);
    private static readonly IDataView Data = Ml.Data.LoadFromEnumerable(SyntheticData.LowRank(200, seed: 6));
    private static readonly float[][] Rows = SyntheticData.LowRank(200, seed: 6).Select(r => r.Features).ToArray();

    private static AutoencoderTransformer Dense() =>
        Ml.Transforms.AutoencoderFeaturizer("Code", "Features", new AutoencoderOptions { EncoderLayers = [8], CodeSize = 3, Epochs = 1, ReconstructionErrorColumnName = "Error" }).Fit(Data);

    /// <summary>A convolutional model: its Transform scores row by row through ML.NET's OnnxTransformer.</summary>
    private static AutoencoderTransformer Convolutional() => Ml.Transforms.ConvolutionalAutoencoderFeaturizer("Code", "Features", new ConvolutionalAutoencoderOptions
    {
        ImageHeight = 4, ImageWidth = 4, ConvolutionalLayers = [new(3), new(4, PoolSize: 1)], CodeSize = 3, Epochs = 1,
    }).Fit(Data);

    /// <summary>
    /// Runs <paramref name="use"/> on <see cref="Workers"/> threads until each has finished at least one use, then disposes
    /// <paramref name="disposable"/> from this thread while they go on; returns how many uses were refused. Any failure other
    /// than an ObjectDisposedException naming <paramref name="typeName"/> fails the test.
    /// </summary>
    private static int UseWhileDisposing(IDisposable disposable, string typeName, Action use)
    {
        var failures = new System.Collections.Concurrent.ConcurrentBag<Exception>();
        int started = 0, refused = 0;
        var threads = Enumerable.Range(0, Workers).Select(_ => new Thread(() =>
        {
            bool counted = false;
            while (true)
            {
                try
                {
                    use();
                    if (!counted) { counted = true; Interlocked.Increment(ref started); }
                }
                catch (ObjectDisposedException e) when (e.ObjectName.Contains(typeName))
                {
                    Interlocked.Increment(ref refused);
                    if (!counted) Interlocked.Increment(ref started);
                    return;
                }
                catch (Exception e)
                {
                    failures.Add(e);
                    Interlocked.Increment(ref started);
                    return;
                }
            }
        }) { IsBackground = true }).ToArray();
        foreach (var t in threads) t.Start();
        SpinWait.SpinUntil(() => Volatile.Read(ref started) == Workers, TimeSpan.FromSeconds(60));
        disposable.Dispose();
        disposable.Dispose(); // a second Dispose does nothing
        foreach (var t in threads) Assert.True(t.Join(TimeSpan.FromSeconds(60)), "a worker did not end after Dispose");
        Assert.True(failures.IsEmpty, string.Join("\n", failures.Select(e => $"{e.GetType().Name}: {e.Message}")));
        Assert.Equal(Workers, refused); // every worker was still using it and was refused after Dispose
        var after = Assert.Throws<ObjectDisposedException>(use);
        Assert.Contains(typeName, after.ObjectName);
        return refused;
    }

    private static void ReadAll(IDataView view, string column)
    {
        using var cursor = view.GetRowCursor([view.Schema[column]]);
        var getter = cursor.GetGetter<VBuffer<float>>(view.Schema[column]);
        var value = default(VBuffer<float>);
        while (cursor.MoveNext()) getter(ref value);
    }

    [Fact]
    public void Featurizer_transform_batched_and_row_by_row()
    {
        var dense = Dense();
        UseWhileDisposing(dense, nameof(AutoencoderTransformer), () => ReadAll(dense.Transform(Data), "Code"));
        var conv = Convolutional();
        UseWhileDisposing(conv, nameof(AutoencoderTransformer), () => ReadAll(conv.Transform(Data), "Code"));
    }

    [Fact]
    public void A_view_or_prediction_engine_taken_before_Dispose_refuses_afterwards()
    {
        var model = Dense();
        var view = model.Transform(Data);
        using var engine = Ml.Model.CreatePredictionEngine<VectorRow, CodeRow>(model);
        Assert.Equal(3, engine.Predict(new VectorRow { Features = Rows[0] }).Code.Length);
        model.Dispose();
        Assert.Contains(nameof(AutoencoderTransformer), Assert.Throws<ObjectDisposedException>(() => ReadAll(view, "Code")).ObjectName);
        Assert.Contains(nameof(AutoencoderTransformer), Assert.Throws<ObjectDisposedException>(() => engine.Predict(new VectorRow { Features = Rows[0] })).ObjectName);
        foreach (var call in new Action[] { () => model.Transform(Data), () => model.GetOnnxModel(), () => model.CreateBatchEncoder(), () => model.GetFirstLayerFilters(),
                     () => Ml.Model.Save(model, Data.Schema, new MemoryStream()) })
            Assert.Contains(nameof(AutoencoderTransformer), Assert.Throws<ObjectDisposedException>(call).ObjectName);
    }

    public sealed class CodeRow
    {
        public float[] Code { get; set; } = [];
    }

    [Fact]
    public void Batch_encoder()
    {
        using var model = Dense();
        var encoder = model.CreateBatchEncoder();
        UseWhileDisposing(encoder, nameof(AutoencoderBatchEncoder), () => encoder.Encode(Rows, batchSize: 16));
    }

    [Fact]
    public void Approximate_code_index()
    {
        var index = ApproximateCodeIndex.Create(Rows);
        UseWhileDisposing(index, nameof(ApproximateCodeIndex), () => index.Search(Rows[3], 5));
    }

    [Fact]
    public void Anomaly_detector()
    {
        var model = Ml.AnomalyDetection.Trainers.Autoencoder("Features", new AutoencoderAnomalyDetectorOptions
        {
            Network = new AutoencoderOptions { EncoderLayers = [8], CodeSize = 3, Epochs = 1 },
        }).Fit(Data);
        UseWhileDisposing(model, nameof(AutoencoderAnomalyTransformer), () => _ = model.Transform(Data).GetColumn<float>("Score").Count());
    }

    [Fact]
    public void Loaded_model()
    {
        using var trained = Dense();
        var path = Path.Combine(Path.GetTempPath(), $"ae-dispose-{Guid.NewGuid():N}.zip");
        try
        {
            Ml.Model.Save(trained, Data.Schema, path);
            var loaded = (IDisposable)Ml.Model.LoadVerified(path, out _);
            UseWhileDisposing(loaded, "OnnxTransformer", () => ReadAll(((ITransformer)loaded).Transform(Data), "Code"));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Document_search_index()
    {
        var random = new Random(3);
        string[] words = ["rain", "storm", "goal", "team", "shares", "profit", "wind", "match", "bank", "stock"];
        var documents = Enumerable.Range(0, 60).Select(i => new Document
        {
            Id = i.ToString(), Text = string.Join(' ', Enumerable.Range(0, 8).Select(_ => words[random.Next(words.Length)])),
        }).ToArray();
        var index = DocumentSearchIndex.Build(Ml, documents, new DocumentSearchOptions
        {
            Autoencoder = new AutoencoderOptions { EncoderLayers = [8], CodeSize = 3, Epochs = 1, CacheInMemory = true },
        });
        UseWhileDisposing(index, nameof(DocumentSearchIndex), () => index.Search("rain and wind", 3));
    }
}
