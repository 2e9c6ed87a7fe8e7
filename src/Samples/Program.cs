using System.CommandLine;
using AutoencoderSamples.Scenarios;

// One sub-command per scenario; `dotnet run --project src/Samples -c Release -- --help` lists them.
var root = new RootCommand("Microsoft.ML.Autoencoders samples: runnable scenarios that write a report and results.json.")
{
    MnistScenario.Create(),
    DenoiseScenario.Create(),
    PretrainScenario.Create(),
    SemiSupervisedScenario.Create(),
    TextRetrievalScenario.Create(),
    TextSearchScenario.Create(),
    AnomalyScenario.Create(),
    SweepScenario.Create(),
    ImageSearchScenario.Create(),
    SweepImagesScenario.Create(),
    NabScenario.Create(),
};
return root.Parse(args).Invoke();
