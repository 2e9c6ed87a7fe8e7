using Microsoft.ML.Data;

namespace Microsoft.ML.Autoencoders;

/// <summary>The <see cref="SchemaShape"/> an estimator of this package promises before training.</summary>
internal static class OutputSchema
{
    /// <summary><paramref name="inputSchema"/> with the columns of <paramref name="added"/> appended (replacing any of the same name).</summary>
    public static SchemaShape With(SchemaShape inputSchema, DataViewSchema.Builder added)
    {
        var result = inputSchema.ToDictionary(c => c.Name);
        foreach (var c in MLNetInternals.ToSchemaShape(added.ToSchema())) result[c.Name] = c;
        return new SchemaShape(result.Values);
    }
}
