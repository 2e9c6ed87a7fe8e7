using System.Text;
using FsCheck;
using FsCheck.Xunit;
using Microsoft.ML.Autoencoders.Datasets;
using Microsoft.ML.Autoencoders.Experiments;
using Microsoft.ML.Autoencoders.Tests.Infrastructure;

namespace Microsoft.ML.Autoencoders.Tests.Reliability;

/// <summary>
/// Property-based checks of the parts that take outside bytes or arbitrary values and were added after
/// <see cref="OutsideBytesProperties"/>: document collections (folder and table), saved document-index folders, experiment
/// checkpoints, and the search space and tuners over arbitrary points and losses. Each either gives exactly what its input
/// holds or throws a typed exception naming the file (or the argument); never a crash, a hang or a silent wrong answer.
/// </summary>
public sealed class NewerSurfaceProperties : IDisposable
{
    /// <summary>A fixed seed, so every run of the suite tries the same cases (see <see cref="OutsideBytesProperties"/>).</summary>
    private const string Seed = "(20261207,1833)";

    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("ae-newer-surface-");

    public void Dispose() => _dir.Delete(recursive: true);

    private string NewFolder() => _dir.CreateSubdirectory(Guid.NewGuid().ToString("N")).FullName;

    private static void ReadsOrNamesTheFile<T>(Func<T> read, string file, Action<T> intact) =>
        OutsideBytesProperties.LoadsIntactOrNamesTheFile(file, _ => read(), result =>
        {
            intact(result);
            return true;
        });

    /// <summary>What a strict reader should make of <paramref name="bytes"/>: the text, or null when they are not UTF-8 text.</summary>
    private static string? TextOf(byte[] bytes)
    {
        try
        {
            using var reader = new StreamReader(new MemoryStream(bytes), new UTF8Encoding(false, throwOnInvalidBytes: true), detectEncodingFromByteOrderMarks: true);
            var text = reader.ReadToEnd();
            return text.Contains('\0') ? null : text;
        }
        catch (DecoderFallbackException) { return null; }
    }

    // ---- Document collections ------------------------------------------------------------------------------------

    [Property(MaxTest = 200, Replay = Seed)]
    public void A_folder_document_of_arbitrary_bytes_is_read_as_its_text_or_named(byte[] bytes, bool utf8Text)
    {
        // Half the cases are text (so the accepting branch is exercised too), half raw bytes.
        if (utf8Text) bytes = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(bytes).Replace('\0', ' '));
        var root = NewFolder();
        Directory.CreateDirectory(Path.Combine(root, "news"));
        File.WriteAllText(Path.Combine(root, "news", "a.txt"), "oil prices rose");
        var file = Path.Combine(root, "news", "b.txt");
        File.WriteAllBytes(file, bytes);
        ReadsOrNamesTheFile(() => DocumentCollection.ReadFolder(root), file, documents =>
        {
            Assert.Equal(TextOf(bytes), documents.Single(d => d.Id == "news/b.txt").Text);
            Assert.Equal(["news"], documents.Single(d => d.Id == "news/b.txt").Labels);
        });
    }

    [Property(MaxTest = 200, Replay = Seed)]
    public void An_arbitrary_labels_file_gives_exactly_its_labels_or_is_named(string content)
    {
        var root = NewFolder();
        Directory.CreateDirectory(Path.Combine(root, "news"));
        File.WriteAllText(Path.Combine(root, "news", "a.txt"), "oil prices rose");
        File.WriteAllText(Path.Combine(root, "b.txt"), "wheat harvest");
        var labels = Path.Combine(root, DocumentCollection.LabelsFileName);
        File.WriteAllText(labels, content ?? "");
        ReadsOrNamesTheFile(() => DocumentCollection.ReadFolder(root), labels, documents =>
        {
            // Accepted only when every non-empty line is "a listed document<TAB>labels", each document once.
            var lines = (content ?? "").Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.Length > 0).ToArray();
            Assert.All(lines, l => Assert.Contains(l.Split('\t')[0], new[] { "news/a.txt", "b.txt" }));
            Assert.Equal(lines.Length, lines.Select(l => l.Split('\t')[0]).Distinct().Count());
            foreach (var line in lines)
            {
                var parts = line.Split('\t');
                var expected = parts[1].Split('|', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
                Assert.Equal(expected, documents.Single(d => d.Id == parts[0]).Labels);
            }
        });
    }

    [Property(MaxTest = 100, Replay = Seed)]
    public void A_table_with_an_arbitrary_cell_is_read_or_named(byte[] cell)
    {
        var root = NewFolder();
        var table = Path.Combine(root, "docs.tsv");
        var clean = cell.Where(b => b is not ((byte)'\t' or (byte)'\n' or (byte)'\r' or (byte)'"')).ToArray();
        File.WriteAllBytes(table, [.. "Text\tLabel\noil prices\tnews\n"u8, .. clean, .. "\tsport\n"u8]);
        ReadsOrNamesTheFile(() => DocumentCollection.ReadTable(table), table, documents =>
        {
            Assert.NotNull(TextOf(clean)); // accepted only as UTF-8 text
            Assert.Equal("oil prices", documents[0].Text);
            Assert.Equal(["sport"], documents[^1].Labels);
        });
    }

    // ---- Saved document-index folders ----------------------------------------------------------------------------

    private static readonly Lazy<(string Folder, string[] Rows)> SavedIndex = new(() =>
    {
        var folder = Path.Combine(Path.GetTempPath(), "ae-index-property-" + Guid.NewGuid().ToString("N"));
        DocumentIndexFolderTests.SavedIndex(folder);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Directory.Delete(folder, recursive: true);
        using var index = DocumentSearchIndex.Load(new MLContext(), folder);
        return (folder, Answers(index));
    });

    private static string[] Answers(DocumentSearchIndex index) =>
        index.Search(["worda wordb", "wordk wordl wordc"], 5).Select(hits => string.Join(",", hits.Select(h => $"{h.Row}:{h.Distance:R}"))).ToArray();

    private static readonly string[] IndexFiles =
        [DocumentSearchIndex.AutoencoderFile, DocumentSearchIndex.IndexFile, DocumentSearchIndex.DocumentsFile, DocumentSearchIndex.RankingFile, BagOfWords.ModelFile, BagOfWords.VocabularyFile, DocumentSearchIndex.ManifestFile];

    [Property(MaxTest = 60, Replay = Seed)]
    public void A_document_index_folder_with_one_file_cut_or_flipped_loads_intact_or_names_the_file(int which, int kind, int position, byte mask)
    {
        var (saved, answers) = SavedIndex.Value;
        var folder = NewFolder();
        foreach (var f in IndexFiles) File.Copy(Path.Combine(saved, f), Path.Combine(folder, f));
        var damaged = Path.Combine(folder, IndexFiles[(int)((uint)which % (uint)IndexFiles.Length)]);
        var bytes = File.ReadAllBytes(damaged);
        int at = (int)((uint)position % (uint)bytes.Length);
        if (kind % 2 == 0) bytes = bytes[..at];
        else bytes[at] ^= mask == 0 ? (byte)1 : mask;
        File.WriteAllBytes(damaged, bytes);
        ReadsOrNamesTheFile(() => DocumentSearchIndex.Load(new MLContext(), folder), damaged, index =>
        {
            using (index) Assert.Equal(answers, Answers(index));
        });
    }

    // ---- Experiment checkpoints ----------------------------------------------------------------------------------

    private static readonly ParameterSpace Space = new ParameterSpace().Int("CodeSize", 1, 4).Float("LearningRate", 1e-3, 3e-2, log: true);

    private static ExperimentResult RunExperiment(string folder, Action? onTrain = null)
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(SyntheticData.LowRank(100, 1));
        return ml.CreateAutoencoderExperiment()
            .SetPipeline(Space, trial =>
            {
                onTrain?.Invoke();
                return ml.Transforms.AutoencoderFeaturizer("Code", "Features", new AutoencoderOptions
                {
                    EncoderLayers = [8], CodeSize = trial.Parameters.Get<int>("CodeSize"), Epochs = 2, BatchSize = 32,
                    LearningRate = trial.Parameters.Get<double>("LearningRate"), Seed = trial.Seed, CacheInMemory = true, ReconstructionErrorColumnName = "Error",
                });
            })
            .SetDataset(data, data).SetReconstructionObjective("Error").SetMaxTrials(3).SetCheckpoint(folder).Run();
    }

    private static readonly Lazy<(string Folder, double?[] Metrics, int Best)> Checkpoint = new(() =>
    {
        var folder = Path.Combine(Path.GetTempPath(), "ae-checkpoint-property-" + Guid.NewGuid().ToString("N"));
        var result = RunExperiment(folder);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Directory.Delete(folder, recursive: true);
        return (folder, result.Trials.Select(t => t.Metric).ToArray(), result.BestTrial.TrialId);
    });

    [Property(MaxTest = 25, Replay = Seed)]
    public void A_checkpoint_with_its_trials_file_cut_or_its_best_model_damaged_resumes_to_the_same_result(int kind, int position, byte mask)
    {
        var (saved, metrics, best) = Checkpoint.Value;
        var folder = NewFolder();
        foreach (var f in Directory.GetFiles(saved)) File.Copy(f, Path.Combine(folder, Path.GetFileName(f)));
        var trials = Path.Combine(folder, "trials.jsonl");
        var model = Path.Combine(folder, "best_model.zip");
        int complete = 3;
        if (kind % 2 == 0)
        {
            // A crash while appending: the trials file cut anywhere.
            var bytes = File.ReadAllBytes(trials);
            int keep = (int)((uint)position % (uint)bytes.Length);
            File.WriteAllBytes(trials, bytes[..keep]);
            complete = bytes[..keep].Count(b => b == (byte)'\n');
        }
        else
        {
            var bytes = File.ReadAllBytes(model);
            int at = (int)((uint)position % (uint)bytes.Length);
            if (kind % 4 == 1) bytes = bytes[..at];
            else bytes[at] ^= mask == 0 ? (byte)1 : mask;
            File.WriteAllBytes(model, bytes);
        }
        int trained = 0;
        var attempt = Task.Run(() => RunExperiment(folder, () => trained++));
        Assert.True(attempt.ContinueWith(_ => { }).Wait(TimeSpan.FromSeconds(120)), "the resumed experiment hung");
        if (attempt.Exception?.InnerException is { } e)
        {
            Assert.True(e is InvalidDataException, $"untyped failure {e.GetType().Name}: {e.Message}");
            Assert.Contains(folder, e.Message);
            return;
        }
        var result = attempt.Result;
        Assert.Equal(metrics, result.Trials.Select(t => t.Metric)); // deterministic trials: the same results, replayed or rerun
        Assert.Equal(complete, result.Trials.Count(t => t.Resumed));
        Assert.Equal(best, result.BestTrial.TrialId);
        Assert.True(trained <= 3 - complete + 1, $"{trained} trainings for {3 - complete} missing trials");
        Assert.NotEmpty(result.BestModel.Transform(new MLContext().Data.LoadFromEnumerable(SyntheticData.LowRank(5, 2))).Preview().RowView);
    }

    // ---- Search space and tuners -----------------------------------------------------------------------------------

    private static readonly ParameterSpace Mixed = new ParameterSpace()
        .Float("F", -3, 5).Float("LogF", 1e-4, 10, log: true).Int("I", -2, 9).Int("LogI", 8, 128, log: true)
        .Choice("Family", ("a", new ParameterSpace().Float("Level", 0.1, 0.6)), ("b", null), ("c", new ParameterSpace().Int("Units", 1, 3)));

    [Property(MaxTest = 500, Replay = Seed)]
    public void Decode_of_any_finite_point_gives_every_value_inside_its_range(double a, double b, double c, double d, double e, double f, double g)
    {
        double[] point = [a, b, c, d, e, f, g];
        if (point.Any(v => !double.IsFinite(v)))
        {
            Assert.Throws<ArgumentException>(() => Mixed.Decode(point));
            return;
        }
        var p = Mixed.Decode(point);
        Assert.InRange(p.Get<double>("F"), -3, 5);
        Assert.InRange(p.Get<double>("LogF"), 1e-4, 10);
        Assert.InRange(p.Get<int>("I"), -2, 9);
        Assert.InRange(p.Get<int>("LogI"), 8, 128);
        var family = p.Get<string>("Family");
        Assert.Contains(family, new[] { "a", "b", "c" });
        Assert.Equal(family == "a", p.Has("Level"));
        Assert.Equal(family == "c", p.Has("Units"));
        if (family == "a") Assert.InRange(p.Get<double>("Level"), 0.1, 0.6);
        if (family == "c") Assert.InRange(p.Get<int>("Units"), 1, 3);
    }

    [Property(MaxTest = 60, Replay = Seed)]
    public void Every_tuner_proposes_points_inside_the_cube_whatever_the_losses(int seed, double[] losses)
    {
        if (losses is null || losses.Length == 0) losses = [double.NaN];
        foreach (var tuner in new ITuner[] { new RandomSearchTuner(Mixed, seed), new LocalSearchTuner(Mixed, seed), new SuccessiveHalvingTuner(Mixed, seed) })
            for (int id = 0; id < 120; id++)
            {
                var proposal = tuner.Propose(id);
                Assert.Equal(Mixed.Dimension, proposal.Point.Length);
                Assert.All(proposal.Point, v => Assert.True(v >= 0 && v < 1, $"{tuner.GetType().Name} proposed coordinate {v}"));
                Assert.InRange(proposal.Budget, double.Epsilon, 1);
                tuner.Update(proposal, losses[id % losses.Length]);
            }
    }
}
