using Microsoft.ML.Autoencoders.Experiments;

namespace Microsoft.ML.Autoencoders;

/// <summary>Creates <see cref="AutoencoderExperiment"/>s from an MLContext.</summary>
public static class ExperimentCatalogExtensions
{
    /// <summary>An experiment that searches pipeline settings (see <see cref="AutoencoderExperiment"/>); its trials log to <c>mlContext.Log</c>.</summary>
    public static AutoencoderExperiment CreateAutoencoderExperiment(this MLContext mlContext)
    {
        ArgumentNullException.ThrowIfNull(mlContext);
        return new AutoencoderExperiment(mlContext);
    }
}
