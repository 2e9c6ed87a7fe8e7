namespace Microsoft.ML.Autoencoders;

/// <summary>The standard normal tail and HTM's log-scaled anomaly score.</summary>
internal static class Likelihood
{
    /// <summary>P(Z &gt; z) for a standard normal Z, with a relative error below 1.2e-7 even far in the tail.</summary>
    public static double UpperTail(double z) => 0.5 * Erfc(z / Math.Sqrt(2));

    /// <summary>The likelihood 1 − tail.</summary>
    public static double FromTail(double tail) => 1 - tail;

    /// <summary>
    /// HTM's reported anomaly score, log(tail) / log(1e-10) clamped to [0, 1]: it spreads the likelihoods near 1 (where
    /// anomalies are) over the whole range, so a threshold can tell a 1-in-10⁴ point from a 1-in-10⁸ one.
    /// </summary>
    public static double LogScaled(double tail) => Math.Clamp(Math.Log(Math.Max(tail, 1e-300)) / Math.Log(1e-10), 0, 1);

    /// <summary>The complementary error function (Numerical Recipes' Chebyshev fit, fractional error &lt; 1.2e-7).</summary>
    public static double Erfc(double x)
    {
        double z = Math.Abs(x);
        double t = 1 / (1 + 0.5 * z);
        double r = t * Math.Exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 +
            t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))));
        return x >= 0 ? r : 2 - r;
    }
}
