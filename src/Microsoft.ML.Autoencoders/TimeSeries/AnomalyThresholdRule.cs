namespace Microsoft.ML.Autoencoders;

/// <summary>How a streaming detector decides that a point's score makes it anomalous.</summary>
public enum AnomalyThresholdRule
{
    /// <summary>
    /// Anomalous when the score exceeds what the detector gave any point of its training stream (replayed through the
    /// trained network): the most unusual normal point sets the bar, with no setting to choose.
    /// </summary>
    Automatic,

    /// <summary>Anomalous when the score is at least <see cref="StreamingAnomalyDetectorOptions.Threshold"/>.</summary>
    Fixed,

    /// <summary>
    /// Anomalous when the score is above the (1 − <see cref="StreamingAnomalyDetectorOptions.Contamination"/>) quantile of
    /// the scores of the training stream (replayed through the trained network).
    /// </summary>
    Contamination,
}
