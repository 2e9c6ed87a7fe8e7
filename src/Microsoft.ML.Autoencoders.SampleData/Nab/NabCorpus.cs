using System.Globalization;
using System.Text.Json;

namespace Microsoft.ML.Autoencoders.Datasets.Nab;

/// <summary>One labelled series of the Numenta Anomaly Benchmark: its name ("category/file.csv"), rows and anomaly windows.</summary>
/// <param name="Name">The corpus key, e.g. <c>realKnownCause/nyc_taxi.csv</c>.</param>
/// <param name="Timestamps">Row times, in order.</param>
/// <param name="Values">Row values.</param>
/// <param name="Windows">Anomaly windows as inclusive row-index ranges, in order.</param>
public sealed record NabSeries(string Name, DateTime[] Timestamps, double[] Values, (int First, int Last)[] Windows)
{
    /// <summary>The series' category (the folder: artificialWithAnomaly, realKnownCause, …).</summary>
    public string Category => Name[..Name.IndexOf('/')];
}

/// <summary>A NAB scoring profile: the weights of true positives, false positives and false negatives.</summary>
public sealed record NabProfile(string Name, double TruePositiveWeight, double FalsePositiveWeight, double FalseNegativeWeight);

/// <summary>
/// A folder laid out as NAB's repository: <c>data/&lt;category&gt;/&lt;series&gt;.csv</c> (timestamp, value),
/// <c>labels/combined_windows.json</c>, <c>config/profiles.json</c> and optionally <c>results/&lt;detector&gt;/…</c> with
/// published detectors' per-row scores. Any subset of the series works.
/// </summary>
public static class NabCorpus
{
    /// <summary>Environment variable naming a folder that holds the data sets (NAB in its <c>nab/</c> sub-folder).</summary>
    public const string EnvironmentVariable = MnistFiles.EnvironmentVariable;

    /// <summary>
    /// The NAB folder: <paramref name="directory"/> or its <c>nab/</c> sub-folder, else <c>$AUTOENCODERS_DATA/nab</c>. NAB is
    /// not downloaded: a folder of NAB's layout (a clone of its repository, or a subset) must be given.
    /// </summary>
    public static string Find(string? directory, Action<string> log)
    {
        var tried = new List<string>();
        var found = DatasetFolders.FindLocal("NAB", "nab", directory, Environment.GetEnvironmentVariable(EnvironmentVariable), "",
            dir => File.Exists(Path.Combine(dir, "labels", "combined_windows.json")) && Directory.Exists(Path.Combine(dir, "data"))
                ? null : "no labels/combined_windows.json and data/ folder (NAB's layout)", log, tried);
        return found ?? throw new DirectoryNotFoundException("No NAB folder found: pass --data with a folder of NAB's layout (data/, labels/, config/)" +
            (tried.Count == 0 ? "" : "; tried " + string.Join("; ", tried)) + ".");
    }

    /// <summary>Every series under <c>data/</c> with its windows from <c>labels/combined_windows.json</c> (a series the labels do not list is refused).</summary>
    public static IReadOnlyList<NabSeries> LoadSeries(string folder)
    {
        var windows = ReadWindows(Path.Combine(folder, "labels", "combined_windows.json"));
        var dataFolder = Path.Combine(folder, "data");
        if (!Directory.Exists(dataFolder)) throw new DirectoryNotFoundException($"NAB folder '{folder}' has no data/ folder of series.");
        var series = new List<NabSeries>();
        foreach (var file in Directory.EnumerateFiles(dataFolder, "*.csv", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            string name = Path.GetRelativePath(dataFolder, file).Replace(Path.DirectorySeparatorChar, '/');
            if (!windows.TryGetValue(name, out var limits))
                throw new InvalidDataException($"Series '{name}' ({file}) has no entry in labels/combined_windows.json.");
            var (timestamps, columns) = ReadCsv(file, "value");
            series.Add(new NabSeries(name, timestamps, columns[0], WindowRows(name, timestamps, limits)));
        }
        if (series.Count == 0) throw new InvalidDataException($"NAB folder '{dataFolder}' holds no .csv series.");
        return series;
    }

    /// <summary>The scoring profiles of <c>config/profiles.json</c> (standard, reward_low_FP_rate, reward_low_FN_rate).</summary>
    public static IReadOnlyList<NabProfile> LoadProfiles(string folder)
    {
        var path = Path.Combine(folder, "config", "profiles.json");
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        return document.RootElement.EnumerateObject().Select(p =>
        {
            var m = p.Value.GetProperty("CostMatrix");
            return new NabProfile(p.Name, m.GetProperty("tpWeight").GetDouble(), m.GetProperty("fpWeight").GetDouble(), m.GetProperty("fnWeight").GetDouble());
        }).ToArray();
    }

    /// <summary>The detectors with a folder under <c>results/</c>.</summary>
    public static IReadOnlyList<string> Detectors(string folder) =>
        Directory.Exists(Path.Combine(folder, "results"))
            ? Directory.GetDirectories(Path.Combine(folder, "results")).Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal).ToArray()
            : [];

    /// <summary>
    /// A published detector's per-row anomaly scores on <paramref name="series"/>, from
    /// <c>results/&lt;detector&gt;/&lt;category&gt;/&lt;detector&gt;_&lt;file&gt;.csv</c>; the rows must be the series' rows.
    /// </summary>
    public static double[] LoadScores(string folder, string detector, NabSeries series) => LoadColumn(folder, detector, series, "anomaly_score");

    /// <summary>
    /// A published detector's run on <paramref name="series"/> as NAB scores it: the rows of the detector's own results
    /// file (a few published files hold the series' rows in another order or with repeated times) with the series' windows
    /// found among them, and the anomaly scores.
    /// </summary>
    public static (NabSeries Series, double[] Scores) LoadRun(string folder, string detector, NabSeries series)
    {
        var (timestamps, columns) = ReadCsv(ResultsFile(folder, detector, series), "value", "anomaly_score");
        if (timestamps.SequenceEqual(series.Timestamps)) return (series, columns[1]);
        var limits = series.Windows.Select(w => (series.Timestamps[w.First], series.Timestamps[w.Last])).ToArray();
        return (series with { Timestamps = timestamps, Values = columns[0], Windows = WindowRows(series.Name, timestamps, limits) }, columns[1]);
    }

    private static string ResultsFile(string folder, string detector, NabSeries series) =>
        Path.Combine(folder, "results", detector, series.Category, $"{detector}_{series.Name[(series.Category.Length + 1)..]}");

    /// <summary>Any numeric column of a detector's results file for <paramref name="series"/> (e.g. NAB's own <c>S(t)_standard</c>).</summary>
    public static double[] LoadColumn(string folder, string detector, NabSeries series, string column)
    {
        string file = ResultsFile(folder, detector, series);
        var (timestamps, columns) = ReadCsv(file, column);
        if (!timestamps.SequenceEqual(series.Timestamps))
            throw new InvalidDataException($"Results file '{file}' does not hold the rows of series '{series.Name}' ({timestamps.Length} rows, the series {series.Timestamps.Length}).");
        return columns[0];
    }

    private static Dictionary<string, (DateTime Start, DateTime End)[]> ReadWindows(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"NAB window labels '{path}' not found.", path);
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        return document.RootElement.EnumerateObject().ToDictionary(p => p.Name,
            p => p.Value.EnumerateArray().Select(w => (ParseTime(w[0].GetString()!), ParseTime(w[1].GetString()!))).ToArray());
    }

    private static (int, int)[] WindowRows(string name, DateTime[] timestamps, (DateTime Start, DateTime End)[] limits) => limits.Select(w =>
    {
        int first = Array.IndexOf(timestamps, w.Start), last = Array.IndexOf(timestamps, w.End);
        if (first < 0 || last < first)
            throw new InvalidDataException($"Series '{name}': window {w.Start:s} – {w.End:s} does not start and end on rows of the series.");
        return (first, last);
    }).ToArray();

    private static (DateTime[] Timestamps, double[][] Columns) ReadCsv(string path, params string[] names)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"NAB file '{path}' not found.", path);
        var lines = File.ReadAllLines(path);
        if (lines.Length == 0) throw new InvalidDataException($"NAB file '{path}' is empty.");
        var header = lines[0].Split(',');
        int time = Array.IndexOf(header, "timestamp");
        var indexes = names.Select(n => Array.IndexOf(header, n)).ToArray();
        if (time < 0 || indexes.Any(i => i < 0))
            throw new InvalidDataException($"NAB file '{path}' lacks column(s) {string.Join(", ", names.Prepend("timestamp").Where(n => Array.IndexOf(header, n) < 0))} (header: {lines[0]}).");
        var rows = lines.Skip(1).Where(l => l.Length > 0).ToArray();
        var timestamps = new DateTime[rows.Length];
        var columns = names.Select(_ => new double[rows.Length]).ToArray();
        for (int r = 0; r < rows.Length; r++)
        {
            var cells = rows[r].Split(',');
            timestamps[r] = ParseTime(cells[time]);
            for (int c = 0; c < indexes.Length; c++)
                if (!double.TryParse(cells[indexes[c]], NumberStyles.Float, CultureInfo.InvariantCulture, out columns[c][r]))
                    throw new InvalidDataException($"NAB file '{path}', line {r + 2}: '{cells[indexes[c]]}' in column '{names[c]}' is not a number.");
        }
        return (timestamps, columns);
    }

    private static DateTime ParseTime(string text) => DateTime.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);
}
