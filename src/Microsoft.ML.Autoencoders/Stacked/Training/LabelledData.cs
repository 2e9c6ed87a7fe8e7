using Microsoft.ML.Autoencoders.Training.Data;

namespace Microsoft.ML.Autoencoders.Stacked.Training;

/// <summary>
/// The labelled rows of a column made ready for supervised training: split into training and validation rows (the
/// same split <see cref="TrainingData"/> makes), each served as batches of rows with their class indices. Owns its sources.
/// </summary>
internal sealed record LabelledData(IBatchSource Train, IBatchSource? Validation, int InputSize, int Classes, int Seed) : IDisposable
{
    public static LabelledData Prepare(IDataView data, string column, LabelColumn label, StackedPretrainerOptions o, int seed)
    {
        int size = VectorColumn.RequireKnownSizeSingleVector(data.Schema, column);
        var (labelled, classes) = label.Scan(data, o.CancellationToken);
        if (labelled == 0)
            throw new InvalidOperationException($"Label column '{label.Name}' has no labelled rows: supervised fine-tuning needs at least one " +
                "(missing labels mark rows for pretraining only). Use FineTuning = Unsupervised or None to train without labels.");
        if (classes < 2)
            throw new InvalidOperationException($"Label column '{label.Name}' holds a single class: a classifier needs at least two.");
        var (trainView, validationView) = TrainingData.Split(data, o.ValidationFraction, seed);
        long trainRows = validationView is null ? labelled : label.Scan(trainView, o.CancellationToken).LabelledRows;
        if (trainRows == 0)
            throw new InvalidOperationException($"No labelled rows are left in label column '{label.Name}' after holding out ValidationFraction = {o.ValidationFraction}.");
        var train = Source(trainView, column, size, trainRows, label, o, seed);
        var validation = validationView is null || labelled == trainRows ? null : Source(validationView, column, size, labelled - trainRows, label, o, seed + 1);
        return new LabelledData(train, validation, size, classes, seed);
    }

    private static IBatchSource Source(IDataView view, string column, int size, long rows, LabelColumn label, StackedPretrainerOptions o, int seed)
    {
        int batchSize = o.FineTuningBatchSize ?? o.BatchSizeFor(rows);
        string option = o.FineTuningBatchSize is null ? nameof(o.BatchSize) : nameof(o.FineTuningBatchSize);
        return o.CacheInMemory
            ? new InMemoryBatchSource(view, column, size, rows, batchSize, seed, label, option)
            : new StreamingBatchSource(view, column, size, rows, batchSize, seed, label, option);
    }

    public void Dispose()
    {
        Train.Dispose();
        Validation?.Dispose();
    }
}
