using Microsoft.ML.Data;

namespace Microsoft.ML.Autoencoders.Tests.Infrastructure;

public static class Columns
{
    /// <summary>All values of a vector column, row by row.</summary>
    public static List<float[]> Vectors(IDataView data, string column) =>
        data.GetColumn<VBuffer<float>>(column).Select(v => v.DenseValues().ToArray()).ToList();

    /// <summary>All values of a reconstruction-error column (Vector&lt;Single, 1&gt;).</summary>
    public static List<float> Errors(IDataView data, string column) =>
        data.GetColumn<VBuffer<float>>(column).Select(v => v.GetItemOrDefault(0)).ToList();
}
