namespace Microsoft.ML.Autoencoders;

/// <summary>Adds the autoencoder anomaly detector to <c>mlContext.AnomalyDetection.Trainers</c>.</summary>
public static class AnomalyDetectionCatalogExtensions
{
    /// <summary>
    /// An anomaly detector that scores each row by how badly an autoencoder trained on the (mostly normal) training rows
    /// reconstructs it; writes <c>Score</c> (float, higher = more anomalous) and <c>PredictedLabel</c> (bool), like
    /// <c>RandomizedPca</c>, so <c>mlContext.AnomalyDetection.Evaluate</c> works on its output.
    /// </summary>
    /// <param name="catalog">The anomaly detection trainers (<c>mlContext.AnomalyDetection.Trainers</c>).</param>
    /// <param name="featureColumnName">Column to learn: a known-size vector of Single.</param>
    /// <param name="options">Network, score and threshold settings; null uses the defaults.</param>
    public static AutoencoderAnomalyDetector Autoencoder(this AnomalyDetectionCatalog.AnomalyDetectionTrainers catalog,
        string featureColumnName = "Features", AutoencoderAnomalyDetectorOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new AutoencoderAnomalyDetector(MLNetInternals.Environment(catalog), featureColumnName, options ?? new AutoencoderAnomalyDetectorOptions());
    }

    /// <summary>
    /// A streaming anomaly detector for time series (one or more channels): an autoencoder over sliding windows, each new
    /// point scored by the reconstruction error of the window ending at it as a likelihood against the recent errors,
    /// without look-ahead. <c>Fit(points)</c> returns the <see cref="StreamingAnomalyModel"/> that scores the stream.
    /// </summary>
    /// <param name="catalog">The anomaly detection trainers (<c>mlContext.AnomalyDetection.Trainers</c>).</param>
    /// <param name="options">Window, network, likelihood, retraining and threshold settings; null uses the defaults.</param>
    public static StreamingAnomalyDetector StreamingAutoencoder(this AnomalyDetectionCatalog.AnomalyDetectionTrainers catalog, StreamingAnomalyDetectorOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new StreamingAnomalyDetector(MLNetInternals.Environment(catalog), options);
    }
}
