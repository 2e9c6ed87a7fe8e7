using Microsoft.ML.Data;

namespace Microsoft.ML.Autoencoders.Lifetime;

/// <summary>
/// A transformer's output seen through its <see cref="DisposalGuard"/>: every cursor step and every value read enters the
/// guard, so a view (or a getter) taken before the transformer was disposed throws <see cref="ObjectDisposedException"/>
/// afterwards instead of reaching a released ONNX Runtime session, and the transformer's Dispose waits for the read in flight.
/// Cursor sets are served as one cursor: ML.NET would otherwise read the cursors on worker threads and wrap the exception
/// in its own ("Splitter/consolidator worker encountered exception").
/// </summary>
internal sealed class GuardedDataView(IDataView inner, DisposalGuard guard) : IDataView
{
    public bool CanShuffle => inner.CanShuffle;
    public DataViewSchema Schema => inner.Schema;
    public long? GetRowCount() => inner.GetRowCount();

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null)
    {
        using var _ = guard.Enter();
        return new Cursor(inner.GetRowCursor(columnsNeeded, rand), guard);
    }

    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null) =>
        [GetRowCursor(columnsNeeded, rand)];

    private sealed class Cursor(DataViewRowCursor inner, DisposalGuard guard) : DataViewRowCursor
    {
        public override DataViewSchema Schema => inner.Schema;
        public override long Position => inner.Position;
        public override long Batch => inner.Batch;
        public override ValueGetter<DataViewRowId> GetIdGetter() => inner.GetIdGetter();
        public override bool IsColumnActive(DataViewSchema.Column column) => inner.IsColumnActive(column);

        public override bool MoveNext()
        {
            using var _ = guard.Enter();
            return inner.MoveNext();
        }

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column) => GuardedRow.Guard(inner.GetGetter<TValue>(column), guard);

        protected override void Dispose(bool disposing)
        {
            if (disposing) inner.Dispose();
            base.Dispose(disposing);
        }
    }
}

/// <summary>A row of a transformer's row-to-row mapper (what PredictionEngine reads) whose values are read through the guard.</summary>
internal sealed class GuardedRow(DataViewRow inner, DisposalGuard guard) : DataViewRow
{
    public override DataViewSchema Schema => inner.Schema;
    public override long Position => inner.Position;
    public override long Batch => inner.Batch;
    public override ValueGetter<DataViewRowId> GetIdGetter() => inner.GetIdGetter();
    public override bool IsColumnActive(DataViewSchema.Column column) => inner.IsColumnActive(column);
    public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column) => Guard(inner.GetGetter<TValue>(column), guard);

    protected override void Dispose(bool disposing)
    {
        if (disposing) inner.Dispose();
        base.Dispose(disposing);
    }

    public static ValueGetter<TValue> Guard<TValue>(ValueGetter<TValue> getter, DisposalGuard guard) => (ref TValue value) =>
    {
        using var _ = guard.Enter();
        getter(ref value);
    };
}

/// <summary>A transformer's row-to-row mapper whose rows read through the guard.</summary>
internal sealed class GuardedRowToRowMapper(IRowToRowMapper inner, DisposalGuard guard) : IRowToRowMapper
{
    public DataViewSchema InputSchema => inner.InputSchema;
    public DataViewSchema OutputSchema => inner.OutputSchema;
    public IEnumerable<DataViewSchema.Column> GetDependencies(IEnumerable<DataViewSchema.Column> dependingColumns) => inner.GetDependencies(dependingColumns);

    public DataViewRow GetRow(DataViewRow input, IEnumerable<DataViewSchema.Column> activeColumns)
    {
        using var _ = guard.Enter();
        return new GuardedRow(inner.GetRow(input, activeColumns), guard);
    }
}
