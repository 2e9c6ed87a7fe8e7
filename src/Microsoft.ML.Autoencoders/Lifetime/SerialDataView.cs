using Microsoft.ML.Data;

namespace Microsoft.ML.Autoencoders.Lifetime;

/// <summary>
/// A transformer's output computed on the reading thread only: <paramref name="mapper"/> (the transformer's row-to-row
/// mapper, built for <paramref name="source"/>'s schema) applied to one cursor of the source. ML.NET's own
/// <c>Transform</c> may read several cursors on worker threads that run ahead of the reader; those threads would reach a
/// native session outside the <see cref="DisposalGuard"/>, after Dispose, and their failure would surface wrapped in
/// "Splitter/consolidator worker encountered exception". Here every value is computed inside the reader's call.
/// </summary>
internal sealed class SerialDataView(IDataView source, IRowToRowMapper mapper) : IDataView
{
    public bool CanShuffle => source.CanShuffle;
    public DataViewSchema Schema => mapper.OutputSchema;
    public long? GetRowCount() => source.GetRowCount();

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null)
    {
        var needed = columnsNeeded.Select(c => mapper.OutputSchema[c.Index]).ToArray();
        var input = source.GetRowCursor(mapper.GetDependencies(needed), rand);
        try
        {
            return new Cursor(input, mapper.GetRow(input, needed));
        }
        catch
        {
            input.Dispose();
            throw;
        }
    }

    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null) =>
        [GetRowCursor(columnsNeeded, rand)];

    /// <summary>The transformer's output of <paramref name="input"/>, computed serially.</summary>
    public static IDataView Of(ITransformer transformer, IDataView input) => new SerialDataView(input, transformer.GetRowToRowMapper(input.Schema));

    private sealed class Cursor(DataViewRowCursor input, DataViewRow row) : DataViewRowCursor
    {
        public override DataViewSchema Schema => row.Schema;
        public override long Position => input.Position;
        public override long Batch => input.Batch;
        public override ValueGetter<DataViewRowId> GetIdGetter() => input.GetIdGetter();
        public override bool IsColumnActive(DataViewSchema.Column column) => row.IsColumnActive(column);
        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column) => row.GetGetter<TValue>(column);
        public override bool MoveNext() => input.MoveNext();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                row.Dispose();
                input.Dispose();
            }
            base.Dispose(disposing);
        }
    }
}
