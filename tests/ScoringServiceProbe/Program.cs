// Usage: ScoringServiceProbe <model.zip>
// Loads the model with LoadVerified (which keeps an ONNX copy in a private temporary folder), prints "ready", then
// waits to be stopped (a line on stdin ends it normally; the tests stop it with a signal instead).
using Microsoft.ML;
using Microsoft.ML.Autoencoders;

var model = new MLContext().Model.LoadVerified(args[0], out _);
Console.WriteLine($"ready {model.GetType().Name}");
Console.Out.Flush();
Console.ReadLine();
