using Microsoft.ML.Data;
using static TorchSharp.torch;

namespace Microsoft.ML.Autoencoders.Training.Data;

/// <summary>
/// Reads the column once into one tensor and serves shuffled mini-batches from it (opt-in: the data
/// must fit in memory). Fastest path; the shuffle is a seeded permutation per epoch. With a label column,
/// keeps only the labelled rows and serves their class indices with the features.
/// </summary>
internal sealed class InMemoryBatchSource : IBatchSource
{
    private readonly Tensor _data;
    private readonly Tensor? _labels;
    private readonly int _batchSize;
    private readonly int _seed;

    public InMemoryBatchSource(IDataView data, string column, int size, long rows, int batchSize, int seed, LabelColumn? label = null, string batchSizeOption = nameof(AutoencoderTrainingOptions.BatchSize))
    {
        if (rows * size > Array.MaxLength)
            throw new InvalidOperationException(
                $"Column '{column}' has {rows} rows of {size} values: too many to cache in memory. Turn the in-memory cache off to stream the data.");
        var values = new float[rows * size];
        var classes = label is null ? null : new long[rows];
        var col = data.Schema[column];
        using (var cursor = data.GetRowCursor(label is null ? [col] : [col, label.Column]))
        {
            var getter = cursor.GetGetter<VBuffer<float>>(col);
            var classOf = label?.ClassGetter(cursor);
            var vector = default(VBuffer<float>);
            long row = 0;
            while (row < rows && cursor.MoveNext())
            {
                if (classOf is not null)
                {
                    long c = classOf();
                    if (c < 0) continue;
                    classes![row] = c;
                }
                getter(ref vector);
                RowValues.CopyDense(vector, values.AsSpan((int)(row * size), size), column, row);
                row++;
            }
            rows = row;
        }
        // Created outside any dispose scope: owned by this source until Dispose.
        _data = tensor(values.AsSpan(0, (int)(rows * size)).ToArray(), [rows, size]);
        _labels = classes is null ? null : tensor(classes.AsSpan(0, (int)rows).ToArray());
        _batchSize = BatchSizing.Effective(batchSize, rows, size, batchSizeOption);
        _seed = seed;
        Rows = rows;
    }

    public long Rows { get; }

    public IEnumerable<Batch> GetBatches(int epoch, bool shuffle)
    {
        var order = Enumerable.Range(0, (int)Rows).Select(i => (long)i).ToArray();
        if (shuffle) new Random(unchecked(_seed * 7919 + epoch)).Shuffle(order);
        for (int start = 0; start < order.Length; start += _batchSize)
        {
            var take = Math.Min(_batchSize, order.Length - start);
            var index = tensor(order.AsSpan(start, take).ToArray());
            yield return new Batch(_data.index_select(0, index), _labels?.index_select(0, index));
        }
    }

    public void Dispose()
    {
        _data.Dispose();
        _labels?.Dispose();
    }
}
