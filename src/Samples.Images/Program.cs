using System.CommandLine;
using AutoencoderSamples.Scenarios;

// Image scenarios (their own app: see Samples.Images.csproj for why). `--help` lists them.
var root = new RootCommand("Microsoft.ML.Autoencoders image samples: ML.NET image pipelines into autoencoders; each writes a report and results.json.")
{
    ImageSearchScenario.Create(),
    SweepImagesScenario.Create(),
};
return root.Parse(args).Invoke();
