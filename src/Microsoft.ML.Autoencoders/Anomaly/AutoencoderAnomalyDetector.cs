using Microsoft.ML.Autoencoders.Training;
using Microsoft.ML.Autoencoders.Training.Data;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;

namespace Microsoft.ML.Autoencoders;

/// <summary>
/// Anomaly detection by reconstruction error, in ML.NET's AnomalyDetection catalog beside RandomizedPca: an autoencoder
/// learns the training rows (the normal class), a row's score is its squared reconstruction error (optionally
/// standardised per feature), and rows scoring above a threshold chosen from the expected contamination are predicted
/// anomalous. The output columns are those of ML.NET's anomaly detectors, so <c>mlContext.AnomalyDetection.Evaluate</c>
/// works on them. Create it with <c>mlContext.AnomalyDetection.Trainers.Autoencoder(...)</c>.
/// </summary>
/// <example>
/// <code>
/// var detector = mlContext.AnomalyDetection.Trainers.Autoencoder("Pixels", new AutoencoderAnomalyDetectorOptions { Contamination = 0.05 });
/// var model = detector.Fit(normalRows);
/// var metrics = mlContext.AnomalyDetection.Evaluate(model.Transform(testRows)); // Label: Single, 1 = anomaly
/// </code>
/// The runnable version is the Samples <c>anomaly</c> scenario.
/// </example>
public sealed class AutoencoderAnomalyDetector : IEstimator<AutoencoderAnomalyTransformer>
{
    private readonly IHostEnvironment _env;
    private readonly string _featureColumn;
    private readonly AutoencoderAnomalyDetectorOptions _options;

    internal AutoencoderAnomalyDetector(IHostEnvironment env, string featureColumnName, AutoencoderAnomalyDetectorOptions options)
    {
        ArgumentException.ThrowIfNullOrEmpty(featureColumnName);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        AnomalyPredictor.CheckAvailable();
        _env = env;
        _featureColumn = featureColumnName;
        _options = options;
        // Checks the column names (and the family's options) at construction, as the featurizers do.
        _ = CreateAutoencoder();
    }

    /// <summary>Trains the autoencoder on <paramref name="input"/>, scores the training rows and sets the threshold.</summary>
    public AutoencoderAnomalyTransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        _options.Validate(); // changed since construction?
        var autoencoder = CreateAutoencoder().Fit(input);
        try
        {
            var residuals = autoencoder.Transform(input);
            var weights = Weights(residuals, autoencoder.InputSize);
            var scores = new List<float>();
            ForEachResidual(residuals, q => scores.Add(System.Numerics.Tensors.TensorPrimitives.Dot(q, weights)));
            scores.Sort();
            float threshold = _options.Threshold ?? Quantile(scores, 1 - _options.Contamination);
            var predictor = AnomalyPredictor.Create(_env, weights, threshold, autoencoder.GetOutputSchema(input.Schema), _options.SquaredResidualColumnName);
            using (var ch = _env.Register(nameof(AutoencoderAnomalyDetector)).Start("Threshold"))
                ch.Info(MessageSensitivity.None, $"Anomaly threshold {threshold:G5} ({(_options.Threshold is null ? $"the {1 - _options.Contamination:P1} quantile of {scores.Count} training scores" : "set by the user")}).");
            return new AutoencoderAnomalyTransformer(autoencoder, predictor, threshold, weights, [.. scores]);
        }
        catch
        {
            autoencoder.Dispose();
            throw;
        }
    }

    /// <summary>The input's columns, the code and squared-residual vectors, <c>Score</c> (float) and <c>PredictedLabel</c> (bool).</summary>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        var withAutoencoder = CreateAutoencoder().GetOutputSchema(inputSchema);
        var builder = new DataViewSchema.Builder();
        builder.AddColumn("Score", NumberDataViewType.Single);
        builder.AddColumn("PredictedLabel", BooleanDataViewType.Instance);
        return OutputSchema.With(withAutoencoder, builder);
    }

    private IAutoencoderEstimator CreateAutoencoder()
    {
        var estimator = WithoutOutputs(_options.Network).CreateEstimator(_env, _options.CodeColumnName, _featureColumn);
        estimator.AddSquaredResidualOutput(_options.SquaredResidualColumnName);
        return estimator;
    }

    /// <summary>The user's network options minus extra output columns (the detector chooses its own).</summary>
    private static T WithoutOutputs<T>(T options) where T : AutoencoderOptions
    {
        if (options.ReconstructionColumnName is null && options.ReconstructionErrorColumnName is null) return options;
        var copy = (T)options.Clone();
        copy.ReconstructionColumnName = null;
        copy.ReconstructionErrorColumnName = null;
        return copy;
    }

    /// <summary>Streams the squared-residual column (one pass over the data, nothing kept but what <paramref name="visit"/> keeps).</summary>
    private void ForEachResidual(IDataView scored, Action<ReadOnlySpan<float>> visit)
    {
        var column = scored.Schema[_options.SquaredResidualColumnName];
        using var cursor = scored.GetRowCursor([column]);
        var getter = cursor.GetGetter<VBuffer<float>>(column);
        var buffer = default(VBuffer<float>);
        while (cursor.MoveNext())
        {
            getter(ref buffer);
            visit(buffer.IsDense ? buffer.GetValues() : buffer.DenseValues().ToArray());
        }
    }

    private float[] Weights(IDataView scored, int size)
    {
        var weights = Enumerable.Repeat(1f, size).ToArray();
        if (!_options.StandardizeResiduals) return weights;
        var sum = new double[size];
        long rows = 0;
        ForEachResidual(scored, q =>
        {
            for (int j = 0; j < size; j++) sum[j] += q[j];
            rows++;
        });
        double overall = sum.Sum() / ((double)size * rows);
        // A value the autoencoder reconstructs perfectly on every training row would get an infinite weight: floor its
        // variance at a millionth of the average one.
        for (int j = 0; j < size; j++) weights[j] = (float)(1 / Math.Max(sum[j] / rows, 1e-6 * overall + 1e-12));
        return weights;
    }

    /// <summary>Linear interpolation between the two nearest order statistics of <paramref name="sorted"/>.</summary>
    private static float Quantile(List<float> sorted, double q)
    {
        double position = q * (sorted.Count - 1);
        int below = (int)Math.Floor(position);
        int above = Math.Min(below + 1, sorted.Count - 1);
        return (float)(sorted[below] + (position - below) * (sorted[above] - sorted[below]));
    }
}
