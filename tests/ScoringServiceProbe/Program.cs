// Usage: ScoringServiceProbe <model.zip>
// Loads the model with LoadVerified (which keeps an ONNX copy in a private temporary folder), prints "ready", then
// waits to be stopped by a signal, as a service does. (It does not read the console: a process waiting on console
// input gets .NET's console signal handling, which runs ProcessExit on SIGTERM and would hide what a service sees.)
using Microsoft.ML;
using Microsoft.ML.Autoencoders;

var model = new MLContext().Model.LoadVerified(args[0], out _);
Console.WriteLine($"ready {model.GetType().Name}");
Console.Out.Flush();
Thread.Sleep(Timeout.Infinite);
