using Microsoft.ML.Autoencoders;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace AutoencoderSamples.Common;

/// <summary>Moves float vectors between C# arrays and IDataView columns.</summary>
internal static class VectorData
{
    private sealed class Row
    {
        public float[] Values { get; set; } = [];
    }

    /// <summary>An IDataView with one known-size vector column named <paramref name="column"/>.</summary>
    public static IDataView ToDataView(MLContext ml, IEnumerable<float[]> rows, string column, int size)
    {
        var schema = SchemaDefinition.Create(typeof(Row));
        schema[0].ColumnName = column;
        schema[0].ColumnType = new VectorDataViewType(NumberDataViewType.Single, size);
        return ml.Data.LoadFromEnumerable(rows.Select(r => new Row { Values = r }), schema);
    }

    /// <summary>All values of a vector column, row by row.</summary>
    public static float[][] Column(IDataView data, string column) =>
        data.GetColumn<VBuffer<float>>(column).Select(v => v.DenseValues().ToArray()).ToArray();
}
