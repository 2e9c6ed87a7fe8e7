using System.Reflection;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;
using Microsoft.ML.Trainers;

namespace Microsoft.ML.Autoencoders;

/// <summary>
/// The score of a row as ML.NET's own anomaly predictor: a <see cref="LinearBinaryModelParameters"/> (score = w · q, with
/// q the squared residuals and w 1 or 1/σ²) inside an <see cref="AnomalyPredictionTransformer{TModel}"/>, which writes a
/// scalar <c>Score</c> and a boolean <c>PredictedLabel</c> (score &gt; threshold), exactly the columns
/// <c>mlContext.AnomalyDetection.Evaluate</c> reads, and saves and loads with stock ML.NET. Both constructors
/// are internal to ML.NET, so they are reached by reflection here; <see cref="CheckAvailable"/>, called when a
/// detector is constructed, says clearly when an ML.NET update moves them.
/// </summary>
internal static class AnomalyPredictor
{
    private static readonly ConstructorInfo? ModelConstructor = typeof(LinearBinaryModelParameters).GetConstructor(
        BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.Public, null,
        [typeof(IHostEnvironment), typeof(VBuffer<float>).MakeByRefType(), typeof(float), typeof(ModelStatisticsBase)], null);

    private static readonly ConstructorInfo? TransformerConstructor = typeof(AnomalyPredictionTransformer<LinearBinaryModelParameters>).GetConstructor(
        BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.Public, null,
        [typeof(IHostEnvironment), typeof(LinearBinaryModelParameters), typeof(DataViewSchema), typeof(string), typeof(float), typeof(string)], null);

    /// <summary>Throws <see cref="MissingMethodException"/> when this ML.NET lacks the constructor used here.</summary>
    public static void CheckAvailable()
    {
        if (ModelConstructor is null || TransformerConstructor is null)
            throw new MissingMethodException("This version of ML.NET does not expose the LinearBinaryModelParameters / AnomalyPredictionTransformer constructors that Microsoft.ML.Autoencoders uses for its anomaly detector; " +
                "use the version of Microsoft.ML this package was built against (5.0.x).");
    }

    public static AnomalyPredictionTransformer<LinearBinaryModelParameters> Create(IHostEnvironment env, float[] weights, float threshold,
        DataViewSchema schema, string featureColumn)
    {
        CheckAvailable();
        var w = new VBuffer<float>(weights.Length, (float[])weights.Clone());
        var model = (LinearBinaryModelParameters)ModelConstructor!.Invoke([env, w, 0f, null]);
        return (AnomalyPredictionTransformer<LinearBinaryModelParameters>)TransformerConstructor!.Invoke(
            [env, model, schema, featureColumn, threshold, "Score"]);
    }
}
