using Microsoft.ML.Data;
using static TorchSharp.torch;

namespace Microsoft.ML.Autoencoders.Training.Data;

/// <summary>
/// Streams mini-batches from an IDataView cursor: the data never has to fit in memory. Each epoch is
/// reshuffled with ML.NET's own row shuffling (source shuffling where the view supports it, plus a pool),
/// seeded by (seed, epoch) so that a rerun sees the same order. With a label column, serves only the
/// labelled rows, with their class indices.
/// </summary>
internal sealed class StreamingBatchSource : IBatchSource
{
    private readonly IDataView _data;
    private readonly string _column;
    private readonly int _size;
    private readonly int _batchSize;
    private readonly int _seed;
    private readonly MLContext _dataOps;
    private readonly LabelColumn? _label;

    public StreamingBatchSource(IDataView data, string column, int size, long rows, int batchSize, int seed, LabelColumn? label = null, string batchSizeOption = nameof(AutoencoderTrainingOptions.BatchSize))
    {
        _data = data;
        _column = column;
        _size = size;
        _batchSize = BatchSizing.Effective(batchSize, rows, size, batchSizeOption);
        _seed = seed;
        Rows = rows;
        _dataOps = new MLContext(seed);
        _label = label;
    }

    public long Rows { get; }

    /// <summary>Size of the shuffle pool when the source cannot shuffle itself (rows).</summary>
    public const int ShufflePoolSize = 4096;

    public IEnumerable<Batch> GetBatches(int epoch, bool shuffle)
    {
        var view = shuffle
            ? _dataOps.Data.ShuffleRows(_data, seed: unchecked(_seed * 7919 + epoch), shufflePoolSize: ShufflePoolSize)
            : _data;
        var column = view.Schema[_column];
        var labelColumn = _label is null ? (DataViewSchema.Column?)null : view.Schema[_label.Name];
        using var cursor = view.GetRowCursor(labelColumn is { } l ? [column, l] : [column]);
        var getter = cursor.GetGetter<VBuffer<float>>(column);
        var classOf = _label?.ClassGetter(cursor);
        var vector = default(VBuffer<float>);
        long row = 0;
        while (true)
        {
            var buffer = new float[_batchSize * _size];
            var classes = classOf is null ? null : new long[_batchSize];
            int n = 0;
            while (n < _batchSize && cursor.MoveNext())
            {
                if (classOf is not null)
                {
                    long c = classOf();
                    if (c < 0) continue;
                    classes![n] = c;
                }
                getter(ref vector);
                RowValues.CopyDense(vector, buffer.AsSpan(n * _size, _size), _column, row++);
                n++;
            }
            if (n == 0) yield break;
            if (n < _batchSize) Array.Resize(ref buffer, n * _size);
            yield return new Batch(tensor(buffer, [n, _size]), classes is null ? null : tensor(classes.AsSpan(0, n).ToArray()));
            if (n < _batchSize) yield break;
        }
    }

    public void Dispose() { }
}
