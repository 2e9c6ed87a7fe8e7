using Microsoft.ML.Autoencoders.Tests.Infrastructure;
using Microsoft.ML.Data;

namespace Microsoft.ML.Autoencoders.Tests.Featurizer;

/// <summary>Transform scores blocks of rows through the graph's batch input, with the columns and values of row-by-row scoring.</summary>
public sealed class BatchedTransformTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "batched-" + Guid.NewGuid().ToString("N"));

    private sealed class Row
    {
        public string Id { get; set; } = "";
        public float Weight { get; set; }
        [VectorType(16)]
        public float[] Features { get; set; } = [];
    }

    /// <summary>2,500 rows: two full blocks of 1,024 and a partial one; row 1,500 holds a NaN.</summary>
    private static Row[] Rows() => SyntheticData.LowRank(2500, seed: 4)
        .Select((r, i) => new Row { Id = $"r{i}", Weight = i, Features = i == 1500 ? [float.NaN, .. r.Features[1..]] : r.Features }).ToArray();

    /// <summary>The model saved and loaded with stock ML.NET (the OnnxTransformer alone, row by row), applied to <paramref name="data"/>.</summary>
    private IDataView RowByRow(MLContext ml, ITransformer model, IDataView data, string name)
    {
        Directory.CreateDirectory(_folder);
        var path = Path.Combine(_folder, name + ".zip");
        ml.Model.Save(model, data.Schema, path);
        return new MLContext().Model.Load(path, out _).Transform(data);
    }

    [Fact]
    public void Blocks_of_rows_give_the_row_by_row_columns_and_values_and_pass_other_columns_through()
    {
        var ml = new MLContext(seed: 1);
        var rows = Rows();
        var data = ml.Data.LoadFromEnumerable(rows);
        using var model = ml.Transforms.AutoencoderFeaturizer("Code", "Features", new AutoencoderOptions
        {
            EncoderLayers = [8], CodeSize = 3, Epochs = 2, ReconstructionColumnName = "Reconstruction", ReconstructionErrorColumnName = "Error",
        }).Fit(ml.Data.LoadFromEnumerable(rows.Where((_, i) => i != 1500)));

        var rowByRow = RowByRow(ml, model, data, "model");
        var path = Path.Combine(_folder, "model.zip");
        Assert.True(model.ScoresInBlocks(data));
        var batched = model.Transform(data);

        Assert.Equal(rowByRow.Schema.Select(c => (c.Name, c.Type.ToString(), c.IsHidden)), batched.Schema.Select(c => (c.Name, c.Type.ToString(), c.IsHidden)));
        Assert.Equal(rows.Select(r => r.Id), batched.GetColumn<string>("Id"));
        Assert.Equal(rows.Select(r => r.Weight), batched.GetColumn<float>("Weight"));
        foreach (var column in new[] { "Code", "Reconstruction", "Error" })
        {
            var expected = Columns.Vectors(rowByRow, column);
            var actual = Columns.Vectors(batched, column);
            Assert.Equal(rows.Length, actual.Count);
            for (int i = 0; i < rows.Length; i++)
            {
                if (i == 1500) { Assert.All(actual[i], v => Assert.True(float.IsNaN(v), $"{column} of the NaN row")); continue; }
                for (int j = 0; j < expected[i].Length; j++) Assert.Equal(expected[i][j], actual[i][j], 1e-4f * Math.Max(1, Math.Abs(expected[i][j])));
            }
        }

        // The library's loader gives the same model scoring in blocks; saved again, it is the same stock model.
        var verified = new MLContext().Model.LoadVerified(path, out _);
        Assert.Contains(verified is TransformerChain<ITransformer> chain ? chain.ToArray() : [verified], t => t is Microsoft.ML.Autoencoders.Export.BatchedOnnxTransformer);
        var loadedBatched = verified.Transform(data);
        var expectedCodes = Columns.Vectors(rowByRow, "Code");
        var loadedCodes = Columns.Vectors(loadedBatched, "Code");
        for (int i = 0; i < rows.Length; i++)
            if (i != 1500) for (int j = 0; j < 3; j++) Assert.Equal(expectedCodes[i][j], loadedCodes[i][j], 1e-4f * Math.Max(1, Math.Abs(expectedCodes[i][j])));
        var again = Path.Combine(_folder, "again.zip");
        ml.Model.Save(verified, data.Schema, again);
        Assert.Equal(Columns.Vectors(rowByRow, "Code").Take(50), Columns.Vectors(new MLContext().Model.Load(again, out _).Transform(data), "Code").Take(50));

        // A cursor over some columns only, and a shuffled one: each row still gets its own code.
        var codeById = batched.GetColumn<string>("Id").Zip(Columns.Vectors(batched, "Code")).ToDictionary(p => p.First, p => p.Second);
        Assert.Equal(rows.Select(r => r.Id), batched.GetColumn<string>("Id"));
        using (var shuffled = batched.GetRowCursor([batched.Schema["Id"], batched.Schema["Code"]], new Random(7)))
        {
            var getId = shuffled.GetGetter<ReadOnlyMemory<char>>(batched.Schema["Id"]);
            var getCode = shuffled.GetGetter<VBuffer<float>>(batched.Schema["Code"]);
            ReadOnlyMemory<char> id = default;
            VBuffer<float> code = default;
            int count = 0;
            while (shuffled.MoveNext())
            {
                getId(ref id);
                getCode(ref code);
                if (id.ToString() != "r1500") Assert.Equal(codeById[id.ToString()], code.DenseValues().ToArray());
                count++;
            }
            Assert.Equal(rows.Length, count);
        }
    }

    [Fact]
    public void A_stack_with_a_supervised_head_scores_in_blocks_like_its_reloaded_model()
    {
        var ml = new MLContext(seed: 1);
        var rows = SyntheticData.LowRank(1500, seed: 5).Select((r, i) => new LabelledRow { Features = r.Features, Label = r.Features[0] > 0 ? 1u : 2u }).ToArray();
        var data = ml.Data.LoadFromEnumerable(rows);
        var keyed = ml.Transforms.Conversion.MapValueToKey("Label").Fit(data).Transform(data);
        using var model = ml.Transforms.StackedPretrainer("Code", "Features", new StackedPretrainerOptions
        {
            EncoderLayers = [8], CodeSize = 4, PretrainingEpochs = 1, FineTuningEpochs = 2, FineTuning = StackedFineTuning.Supervised, LabelColumnName = "Label",
        }).Fit(keyed);
        var rowByRow = RowByRow(ml, model, keyed, "stack");
        Assert.True(model.ScoresInBlocks(keyed));
        var batched = model.Transform(keyed);
        Assert.Equal(rowByRow.GetColumn<uint>("PredictedLabel"), batched.GetColumn<uint>("PredictedLabel"));
        var expected = Columns.Vectors(rowByRow, "Score");
        var actual = Columns.Vectors(batched, "Score");
        for (int i = 0; i < rows.Length; i++)
            for (int j = 0; j < expected[i].Length; j++) Assert.Equal(expected[i][j], actual[i][j], 1e-4f);
    }

    [Fact]
    public void A_softmax_output_scores_in_blocks_and_a_convolutional_network_row_by_row()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(SyntheticData.TopicCounts(1200, seed: 3).Select(r => r.Row));
        using var multinomial = ml.Transforms.AutoencoderFeaturizer("Code", "Features", new AutoencoderOptions
        {
            EncoderLayers = [8], CodeSize = 3, Epochs = 2, Loss = ReconstructionLoss.MultinomialCrossEntropy, ReconstructionErrorColumnName = "Error",
        }).Fit(data);
        using var conv = ml.Transforms.ConvolutionalAutoencoderFeaturizer("Code", "Features", new ConvolutionalAutoencoderOptions
        {
            ImageHeight = 4, ImageWidth = 4, ConvolutionalLayers = [new(3), new(4, PoolSize: 1)], CodeSize = 3, Epochs = 1,
        }).Fit(data);
        Assert.True(multinomial.ScoresInBlocks(data));
        Assert.False(conv.ScoresInBlocks(data)); // its reshapes are for one image: no batched twin
        foreach (var (model, name) in new[] { ((AutoencoderTransformer)multinomial, "multinomial"), (conv, "conv") })
        {
            var rowByRow = RowByRow(ml, model, data, name);
            foreach (var column in model.ReconstructionErrorColumnName is null ? ["Code"] : new[] { "Code", "Error" })
            {
                var expected = Columns.Vectors(rowByRow, column);
                var actual = Columns.Vectors(model.Transform(data), column);
                for (int i = 0; i < expected.Count; i++)
                    for (int j = 0; j < expected[i].Length; j++) Assert.Equal(expected[i][j], actual[i][j], 1e-4f * Math.Max(1, Math.Abs(expected[i][j])));
            }
        }
    }

    private sealed class LabelledRow
    {
        [VectorType(16)]
        public float[] Features { get; set; } = [];
        public uint Label { get; set; }
    }

    public void Dispose()
    {
        if (Directory.Exists(_folder)) Directory.Delete(_folder, recursive: true);
    }
}
