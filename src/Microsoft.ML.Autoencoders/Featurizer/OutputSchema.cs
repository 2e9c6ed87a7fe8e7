using Microsoft.ML.Autoencoders.Export;
using Microsoft.ML.Data;

namespace Microsoft.ML.Autoencoders;

/// <summary>The <see cref="SchemaShape"/> an estimator of this package promises before training.</summary>
internal static class OutputSchema
{
    public static SchemaShape Add(SchemaShape inputSchema, AutoencoderColumns columns, int codeSize)
    {
        var builder = new DataViewSchema.Builder();
        builder.AddColumn(columns.Code, new VectorDataViewType(NumberDataViewType.Single, codeSize));
        // Known-size vectors (a SchemaShape keeps the kind, not the size): trainers downstream accept only known sizes.
        if (columns.Reconstruction is string r) builder.AddColumn(r, new VectorDataViewType(NumberDataViewType.Single, 1));
        if (columns.SquaredResidual is string q) builder.AddColumn(q, new VectorDataViewType(NumberDataViewType.Single, 1));
        if (columns.ReconstructionError is string e) builder.AddColumn(e, new VectorDataViewType(NumberDataViewType.Single, 1));
        return With(inputSchema, builder);
    }

    /// <summary><paramref name="inputSchema"/> with the columns of <paramref name="added"/> appended (replacing any of the same name).</summary>
    public static SchemaShape With(SchemaShape inputSchema, DataViewSchema.Builder added)
    {
        var result = inputSchema.ToDictionary(c => c.Name);
        foreach (var c in MLNetInternals.ToSchemaShape(added.ToSchema())) result[c.Name] = c;
        return new SchemaShape(result.Values);
    }
}
