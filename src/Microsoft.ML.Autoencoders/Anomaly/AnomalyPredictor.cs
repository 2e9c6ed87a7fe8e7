using Microsoft.ML.Data;
using Microsoft.ML.Runtime;
using Microsoft.ML.Trainers;

namespace Microsoft.ML.Autoencoders;

/// <summary>
/// The score of a row as ML.NET's own anomaly predictor: a <see cref="LinearBinaryModelParameters"/> (score = w · q, with
/// q the squared residuals and w 1 or 1/σ²) inside an <see cref="AnomalyPredictionTransformer{TModel}"/>, which writes a
/// scalar <c>Score</c> and a boolean <c>PredictedLabel</c> (score &gt; threshold), exactly the columns
/// <c>mlContext.AnomalyDetection.Evaluate</c> reads, and saves and loads with stock ML.NET. Both constructors
/// are internal to ML.NET, so they are reached by reflection (<see cref="MLNetInternals"/>); <see cref="CheckAvailable"/>, called when a
/// detector is constructed, says clearly when an ML.NET update moves them.
/// </summary>
internal static class AnomalyPredictor
{
    /// <summary>Throws <see cref="MissingMemberException"/> when this ML.NET lacks a constructor used here.</summary>
    public static void CheckAvailable()
    {
        MLNetInternals.LinearBinaryModel.Get();
        MLNetInternals.AnomalyPredictionTransformer.Get();
    }

    public static AnomalyPredictionTransformer<LinearBinaryModelParameters> Create(IHostEnvironment env, float[] weights, float threshold,
        DataViewSchema schema, string featureColumn)
    {
        var w = new VBuffer<float>(weights.Length, (float[])weights.Clone());
        var model = (LinearBinaryModelParameters)MLNetInternals.LinearBinaryModel.Get().Invoke([env, w, 0f, null]);
        return (AnomalyPredictionTransformer<LinearBinaryModelParameters>)MLNetInternals.AnomalyPredictionTransformer.Get().Invoke(
            [env, model, schema, featureColumn, threshold, "Score"]);
    }
}
