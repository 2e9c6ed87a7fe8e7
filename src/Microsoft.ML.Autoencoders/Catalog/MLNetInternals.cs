using System.Reflection;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;

namespace Microsoft.ML.Autoencoders;

/// <summary>
/// The two things an estimator outside ML.NET needs but ML.NET keeps internal, reached by reflection
/// in this one place (ML.NET issues #4911 and #6839 discuss the limits of its public extension surface):
/// <list type="bullet">
/// <item>the MLContext's <see cref="IHostEnvironment"/> behind a catalog (<c>IInternalCatalog.Environment</c>),
/// so our training logs to <c>mlContext.Log</c> and draws its default seed from the MLContext's seed;</item>
/// <item><c>SchemaShape.Create(DataViewSchema)</c>, because <see cref="SchemaShape.Column"/> has no public constructor.</item>
/// </list>
/// Both have existed unchanged since ML.NET 1.0.
/// </summary>
internal static class MLNetInternals
{
    private static readonly PropertyInfo? EnvironmentProperty = typeof(TransformsCatalog).GetInterfaces()
        .FirstOrDefault(i => i.Name == "IInternalCatalog")?.GetProperty("Environment");

    /// <summary>The environment of <c>mlContext.AnomalyDetection.Trainers</c> (the same internal interface as the transforms catalog's).</summary>
    public static IHostEnvironment Environment(AnomalyDetectionCatalog.AnomalyDetectionTrainers catalog) =>
        EnvironmentProperty?.GetValue(catalog) as IHostEnvironment
        ?? throw new MissingMemberException("This version of ML.NET does not expose the environment of AnomalyDetectionCatalog.AnomalyDetectionTrainers (IInternalCatalog.Environment).");

    private static readonly MethodInfo? SchemaShapeCreate = typeof(SchemaShape).GetMethod("Create",
        BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic, [typeof(DataViewSchema)]);

    /// <summary>The catalog's environment; a fresh one (logging elsewhere) if ML.NET ever hides it differently.</summary>
    public static IHostEnvironment Environment(TransformsCatalog catalog) =>
        EnvironmentProperty?.GetValue(catalog) as IHostEnvironment ?? new MLContext();

    /// <summary>Schema-shape columns describing the columns of <paramref name="schema"/>.</summary>
    public static SchemaShape ToSchemaShape(DataViewSchema schema) =>
        (SchemaShape)(SchemaShapeCreate ?? throw new MissingMethodException(nameof(SchemaShape), "Create"))
            .Invoke(null, [schema])!;
}
