namespace Microsoft.ML.Autoencoders;

/// <summary>What a streaming detector says about one point.</summary>
/// <param name="Index">The point's position in the stream (0 = the first point the detector was trained on).</param>
/// <param name="Score">
/// The anomaly score in [0, 1]: HTM's log-scaled likelihood, log(1 − L) / log(10⁻¹⁰) for the likelihood L of the
/// reconstruction error of the window ending at this point; 0.5 likelihood (score 0.03) while the likelihood is learning,
/// 0 while the first window is incomplete.
/// </param>
/// <param name="Likelihood">L, the probability that the recent errors are this low or lower under their recent distribution.</param>
/// <param name="Error">Σ (x − x̂)² over the window ending at this point (standardised units); NaN while the first window is incomplete.</param>
/// <param name="IsAnomaly">Whether the score crosses the detector's threshold.</param>
/// <param name="Channel">The channel with the largest share of <paramref name="Error"/> (−1 while the first window is incomplete).</param>
public readonly record struct PointScore(long Index, double Score, double Likelihood, double Error, bool IsAnomaly, int Channel);
