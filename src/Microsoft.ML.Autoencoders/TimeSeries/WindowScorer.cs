using Microsoft.ML.OnnxRuntime;

namespace Microsoft.ML.Autoencoders.TimeSeries;

/// <summary>
/// Runs an exported window autoencoder (the row graph a saved model holds) on one window per call through ONNX Runtime
/// directly, with the input and output buffers bound once: the per-point path of the streaming detector, where ML.NET's
/// PredictionEngine would cost more than the network itself. One thread, one call at a time.
/// </summary>
internal sealed class WindowScorer : IDisposable
{
    private readonly InferenceSession _session;
    private readonly RunOptions _run = new();
    private readonly OrtValue _inputValue, _outputValue;
    private readonly string[] _inputNames, _outputNames;

    public WindowScorer(byte[] onnx, string inputName, string residualName, int size)
    {
        using var options = new SessionOptions { IntraOpNumThreads = 1, InterOpNumThreads = 1 };
        _session = new InferenceSession(onnx, options);
        if (!_session.InputMetadata.TryGetValue(inputName, out var input) || input.Dimensions is not [var n] || n != size)
        {
            _session.Dispose();
            throw new InvalidDataException($"The window autoencoder's graph does not read a [{size}] input named '{inputName}'.");
        }
        if (!_session.OutputMetadata.ContainsKey(residualName))
        {
            _session.Dispose();
            throw new InvalidDataException($"The window autoencoder's graph has no output '{residualName}' (squared residuals).");
        }
        Input = new float[size];
        Residuals = new float[size];
        _inputValue = OrtValue.CreateTensorValueFromMemory(Input, [size]);
        _outputValue = OrtValue.CreateTensorValueFromMemory(Residuals, [size]);
        _inputNames = [inputName];
        _outputNames = [residualName];
    }

    /// <summary>The window to score: fill it, then call <see cref="Run"/>.</summary>
    public float[] Input { get; }

    /// <summary>(x − x̂)² per value of the last window run.</summary>
    public float[] Residuals { get; }

    /// <summary>Scores <see cref="Input"/> into <see cref="Residuals"/> and returns their sum.</summary>
    public double Run()
    {
        _session.Run(_run, _inputNames, [_inputValue], _outputNames, [_outputValue]);
        double sum = 0;
        foreach (var r in Residuals) sum += r;
        return sum;
    }

    public void Dispose()
    {
        _inputValue.Dispose();
        _outputValue.Dispose();
        _run.Dispose();
        _session.Dispose();
    }
}
