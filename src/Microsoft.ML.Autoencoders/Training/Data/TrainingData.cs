using static TorchSharp.torch;

namespace Microsoft.ML.Autoencoders.Training.Data;

/// <summary>
/// A column made ready for training: checked (schema, NaN/∞, empty), split into training and validation
/// batch sources, with its value range (which picks the loss and bounds the corruption). Owns its sources.
/// </summary>
internal sealed record TrainingData(IBatchSource Train, IBatchSource? Validation, int InputSize, float Min, float Max, int Seed) : IDisposable
{
    public static TrainingData Prepare(IDataView data, string column, AutoencoderTrainingOptions options, int seed)
    {
        int size = VectorColumn.RequireKnownSizeSingleVector(data.Schema, column);
        var cancellation = options.CancellationToken;
        var (trainView, validationView) = Split(data, options.ValidationFraction, seed);
        var trainScan = DataScan.Run(trainView, column, size, cancellation);
        var validationScan = validationView is null ? null : DataScan.Run(validationView, column, size, cancellation);
        if (trainScan.Rows == 0)
            throw new InvalidOperationException(validationScan is { Rows: > 0 }
                ? $"No training rows are left in column '{column}' after holding out ValidationFraction = {options.ValidationFraction}."
                : $"The training data is empty: column '{column}' has no rows.");
        if (validationScan is { Rows: 0 }) validationView = null;

        int batchSize = options.BatchSizeFor(trainScan.Rows);
        var train = CreateSource(trainView, column, size, trainScan.Rows, batchSize, options.CacheInMemory, seed);
        var validation = validationView is null ? null : CreateSource(validationView, column, size, validationScan!.Rows, batchSize, options.CacheInMemory, seed + 1);
        return new TrainingData(train, validation, size,
            Math.Min(trainScan.Min, validationScan?.Min ?? float.PositiveInfinity),
            Math.Max(trainScan.Max, validationScan?.Max ?? float.NegativeInfinity), seed);
    }

    /// <summary>
    /// The same rows seen through frozen layers: every batch is encoded by <paramref name="encoder"/> on the fly
    /// (no gradients), giving the training data of the next layer of a stack. The result shares this
    /// instance's sources; dispose only this one.
    /// </summary>
    public TrainingData Through(Func<Tensor, Tensor> encoder, int outputSize, float outputMin, float outputMax) =>
        new(new EncodedBatchSource(Train, encoder), Validation is null ? null : new EncodedBatchSource(Validation, encoder),
            outputSize, outputMin, outputMax, Seed);

    public void Dispose()
    {
        Train.Dispose();
        Validation?.Dispose();
    }

    public static (IDataView Train, IDataView? Validation) Split(IDataView data, double fraction, int seed)
    {
        if (fraction <= 0) return (data, null);
        var split = new MLContext(seed).Data.TrainTestSplit(data, testFraction: fraction, seed: seed);
        return (split.TrainSet, split.TestSet);
    }

    private static IBatchSource CreateSource(IDataView view, string column, int size, long rows, int batchSize, bool inMemory, int seed) =>
        inMemory
            ? new InMemoryBatchSource(view, column, size, rows, batchSize, seed)
            : new StreamingBatchSource(view, column, size, rows, batchSize, seed);
}
