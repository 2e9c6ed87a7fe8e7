using System.Reflection;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;
using Microsoft.ML.Trainers;

namespace Microsoft.ML.Autoencoders;

/// <summary>
/// Every member ML.NET keeps internal that this package uses, in one place (ML.NET issues #4911 and #6839 discuss the
/// limits of its public extension surface). All have existed unchanged since ML.NET 1.0:
/// <list type="bullet">
/// <item>the MLContext's <see cref="IHostEnvironment"/> behind a catalog (<c>IInternalCatalog.Environment</c>), so the
/// catalog extensions log to <c>mlContext.Log</c> and draw their default seed from the MLContext's seed (the estimators'
/// public constructors take the MLContext itself, which is a public IHostEnvironment, and need no reflection);</item>
/// <item><c>SchemaShape.Create(DataViewSchema)</c>, because <see cref="SchemaShape.Column"/> has no public constructor;</item>
/// <item>the constructors of the stock predictors the stacked pretrainer's softmax layer and the anomaly detector's
/// score become (<c>MaximumEntropyModelParameters</c>, <c>MulticlassPredictionTransformer</c>,
/// <c>LinearBinaryModelParameters</c>, <c>AnomalyPredictionTransformer</c>), so that saved models load with stock ML.NET.</item>
/// </list>
/// </summary>
internal static class MLNetInternals
{
    private const BindingFlags Instance = BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.Public;

    public static readonly InternalMember<PropertyInfo> CatalogEnvironment = new(
        "IInternalCatalog.Environment (the MLContext behind mlContext.Transforms and mlContext.AnomalyDetection.Trainers)",
        "to log to mlContext.Log and seed from the MLContext (or construct the estimator directly with the MLContext)",
        () => typeof(TransformsCatalog).GetInterfaces().FirstOrDefault(i => i.Name == "IInternalCatalog")?.GetProperty("Environment"));

    public static readonly InternalMember<MethodInfo> SchemaShapeCreate = new(
        "SchemaShape.Create(DataViewSchema)", "to promise the columns an estimator adds",
        () => typeof(SchemaShape).GetMethod("Create", BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic, [typeof(DataViewSchema)]));

    public static readonly InternalMember<ConstructorInfo> MaximumEntropyModel = new(
        "the MaximumEntropyModelParameters constructor", "for the stacked pretrainer's softmax layer",
        () => typeof(MaximumEntropyModelParameters).GetConstructor(Instance, null,
            [typeof(IHostEnvironment), typeof(VBuffer<float>[]), typeof(float[]), typeof(int), typeof(int), typeof(string[]), typeof(ModelStatisticsBase)], null));

    public static readonly InternalMember<ConstructorInfo> MulticlassPredictionTransformer = new(
        "the MulticlassPredictionTransformer constructor", "for the stacked pretrainer's Score and PredictedLabel columns",
        () => typeof(MulticlassPredictionTransformer<MaximumEntropyModelParameters>).GetConstructor(Instance, null,
            [typeof(IHostEnvironment), typeof(MaximumEntropyModelParameters), typeof(DataViewSchema), typeof(string), typeof(string), typeof(string), typeof(string)], null));

    public static readonly InternalMember<ConstructorInfo> LinearBinaryModel = new(
        "the LinearBinaryModelParameters constructor", "for the anomaly detector's score",
        () => typeof(LinearBinaryModelParameters).GetConstructor(Instance, null,
            [typeof(IHostEnvironment), typeof(VBuffer<float>).MakeByRefType(), typeof(float), typeof(ModelStatisticsBase)], null));

    public static readonly InternalMember<ConstructorInfo> AnomalyPredictionTransformer = new(
        "the AnomalyPredictionTransformer constructor", "for the anomaly detector's Score and PredictedLabel columns",
        () => typeof(AnomalyPredictionTransformer<LinearBinaryModelParameters>).GetConstructor(Instance, null,
            [typeof(IHostEnvironment), typeof(LinearBinaryModelParameters), typeof(DataViewSchema), typeof(string), typeof(float), typeof(string)], null));

    /// <summary>Descriptions of the members this ML.NET lacks (empty when all are there).</summary>
    public static IReadOnlyList<string> Missing() =>
        new (string Description, bool Available)[]
        {
            (CatalogEnvironment.Description, CatalogEnvironment.IsAvailable), (SchemaShapeCreate.Description, SchemaShapeCreate.IsAvailable),
            (MaximumEntropyModel.Description, MaximumEntropyModel.IsAvailable), (MulticlassPredictionTransformer.Description, MulticlassPredictionTransformer.IsAvailable),
            (LinearBinaryModel.Description, LinearBinaryModel.IsAvailable), (AnomalyPredictionTransformer.Description, AnomalyPredictionTransformer.IsAvailable),
        }.Where(m => !m.Available).Select(m => m.Description).ToArray();

    /// <summary>The environment of <c>mlContext.Transforms</c>.</summary>
    public static IHostEnvironment Environment(TransformsCatalog catalog) => EnvironmentOf(catalog);

    /// <summary>The environment of <c>mlContext.AnomalyDetection.Trainers</c> (the same internal interface as the transforms catalog's).</summary>
    public static IHostEnvironment Environment(AnomalyDetectionCatalog.AnomalyDetectionTrainers catalog) => EnvironmentOf(catalog);

    private static IHostEnvironment EnvironmentOf(object catalog) =>
        CatalogEnvironment.Get().GetValue(catalog) as IHostEnvironment
        ?? throw new MissingMemberException($"{CatalogEnvironment.Description} returned no environment for {catalog.GetType().Name}.");

    /// <summary>Schema-shape columns describing the columns of <paramref name="schema"/>.</summary>
    public static SchemaShape ToSchemaShape(DataViewSchema schema) => (SchemaShape)SchemaShapeCreate.Get().Invoke(null, [schema])!;
}
