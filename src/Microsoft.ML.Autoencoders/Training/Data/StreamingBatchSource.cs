using Microsoft.ML.Data;
using static TorchSharp.torch;

namespace Microsoft.ML.Autoencoders.Training.Data;

/// <summary>
/// Streams mini-batches from an IDataView cursor: the data never has to fit in memory. Each epoch is
/// reshuffled with ML.NET's own row shuffling (source shuffling where the view supports it, plus a pool),
/// seeded by (seed, epoch) so that a rerun sees the same order.
/// </summary>
internal sealed class StreamingBatchSource : IBatchSource
{
    private readonly IDataView _data;
    private readonly string _column;
    private readonly int _size;
    private readonly int _batchSize;
    private readonly int _seed;
    private readonly MLContext _dataOps;

    public StreamingBatchSource(IDataView data, string column, int size, long rows, int batchSize, int seed)
    {
        _data = data;
        _column = column;
        _size = size;
        _batchSize = batchSize;
        _seed = seed;
        Rows = rows;
        _dataOps = new MLContext(seed);
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
        using var cursor = view.GetRowCursor([column]);
        var getter = cursor.GetGetter<VBuffer<float>>(column);
        var vector = default(VBuffer<float>);
        long row = 0;
        while (true)
        {
            var buffer = new float[_batchSize * _size];
            int n = 0;
            while (n < _batchSize && cursor.MoveNext())
            {
                getter(ref vector);
                RowValues.CopyDense(vector, buffer.AsSpan(n * _size, _size), _column, row++);
                n++;
            }
            if (n == 0) yield break;
            if (n < _batchSize) Array.Resize(ref buffer, n * _size);
            yield return new Batch(tensor(buffer, [n, _size]));
            if (n < _batchSize) yield break;
        }
    }

    public void Dispose() { }
}
