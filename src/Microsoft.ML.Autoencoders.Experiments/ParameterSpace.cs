using System.Globalization;

namespace Microsoft.ML.Autoencoders.Experiments;

/// <summary>
/// The settings an experiment may try: named integer and floating-point ranges (linear or log scale), choices, and
/// choices whose options bring settings of their own (nesting: e.g. a corruption level that exists only when the family
/// is denoising). Every setting is one coordinate of the unit cube [0, 1)^<see cref="Dimension"/>, which is what tuners
/// search; <see cref="Decode"/> turns a point into <see cref="Parameters"/>.
/// </summary>
/// <example>
/// <code>
/// var space = new ParameterSpace()
///     .Int("CodeSize", 8, 128, log: true)
///     .Float("LearningRate", 1e-4, 1e-2, log: true)
///     .Choice("Family", ("dense", null), ("denoising", new ParameterSpace().Float("CorruptionLevel", 0.1, 0.6)));
/// </code>
/// </example>
public sealed partial class ParameterSpace
{
    private readonly List<Setting> _settings = [];

    /// <summary>Coordinates of a point: one per setting, nested ones included.</summary>
    public int Dimension => _settings.Sum(s => 1 + s.Options.Sum(o => o.Space?.Dimension ?? 0));

    /// <summary>Names of every setting, nested ones included, in coordinate order.</summary>
    public IReadOnlyList<string> Names => _settings.SelectMany(s => new[] { s.Name }.Concat(s.Options.SelectMany(o => o.Space?.Names ?? []))).ToArray();

    /// <summary>A floating-point setting in [<paramref name="min"/>, <paramref name="max"/>], uniform or (with <paramref name="log"/>) log-uniform.</summary>
    public ParameterSpace Float(string name, double min, double max, bool log = false)
    {
        CheckRange(name, min, max, log);
        return Add(new Setting(name, SettingKind.Float, min, max, log, []));
    }

    /// <summary>An integer setting in [<paramref name="min"/>, <paramref name="max"/>] (both included), uniform or log-uniform.</summary>
    public ParameterSpace Int(string name, int min, int max, bool log = false)
    {
        CheckRange(name, min, max, log);
        return Add(new Setting(name, SettingKind.Int, min, max, log, []));
    }

    /// <summary>One of <paramref name="values"/> (strings, numbers, booleans or enum values), each equally likely.</summary>
    public ParameterSpace Choice(string name, params object[] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        return Choice(name, values.Select(v => (v, (ParameterSpace?)null)).ToArray());
    }

    /// <summary>One of <paramref name="options"/>; an option's own space (or null) adds settings that exist only when it is chosen.</summary>
    /// <remarks>Each option's space is copied: settings added to it later do not reach this space.</remarks>
    public ParameterSpace Choice(string name, params (object Value, ParameterSpace? Space)[] options)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(options);
        if (options.Length == 0) throw new ArgumentException($"Choice '{name}' needs at least one option.", nameof(options));
        for (int i = 0; i < options.Length; i++)
            if (options[i].Value is null) throw new ArgumentException($"Choice '{name}' has a null value at option {i}.", nameof(options));
        var copied = options.Select(o => (o.Value, o.Space is null ? null : o.Space.Copy())).ToArray();
        return Add(new Setting(name, SettingKind.Choice, 0, options.Length - 1, false, copied));
    }

    private ParameterSpace Copy()
    {
        var copy = new ParameterSpace();
        copy._settings.AddRange(_settings.Select(s => s with { Options = s.Options.Select(o => (o.Value, o.Space?.Copy())).ToArray() }));
        return copy;
    }

    /// <summary>The parameters at <paramref name="point"/> (coordinates in [0, 1); values outside are clamped).</summary>
    public Parameters Decode(IReadOnlyList<double> point)
    {
        ArgumentNullException.ThrowIfNull(point);
        for (int i = 0; i < point.Count; i++)
            if (!double.IsFinite(point[i]))
                throw new ArgumentException($"Coordinate {i} of the point ({Names.ElementAtOrDefault(i) ?? "?"}) is {point[i]}; a point's coordinates must be finite numbers in [0, 1).", nameof(point));
        if (point.Count != Dimension) throw new ArgumentException($"A point of this space has {Dimension} coordinates, not {point.Count}.", nameof(point));
        var values = new Dictionary<string, object>();
        int next = 0;
        DecodeInto(point, ref next, values);
        return new Parameters(values, [.. point]);
    }

    /// <summary>The coordinates of the space's middle (every setting at the centre of its range, the middle choice).</summary>
    public double[] Centre() => Enumerable.Repeat(0.5, Dimension).ToArray();

    /// <summary>
    /// Declares <paramref name="value"/> the default of setting <paramref name="name"/> (nested settings included): where
    /// a tuner that starts from known-good settings starts (<see cref="DefaultPoint"/>). It must lie in the setting's
    /// range, or be one of its choices.
    /// </summary>
    public ParameterSpace WithDefault(string name, object value)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(value);
        if (!TrySetDefault(name, value))
            throw new ArgumentException($"This space has no setting '{name}'; its settings are {string.Join(", ", Names)}.", nameof(name));
        return this;
    }

    /// <summary>
    /// The point whose parameters are the declared defaults (<see cref="WithDefault"/>); a setting without one sits at the
    /// centre of its range. Without any declared default this is <see cref="Centre"/>.
    /// </summary>
    public double[] DefaultPoint()
    {
        var point = new List<double>(Dimension);
        EncodeDefaults(point);
        return [.. point];
    }

    private bool TrySetDefault(string name, object value)
    {
        for (int i = 0; i < _settings.Count; i++)
        {
            var s = _settings[i];
            if (s.Name == name)
            {
                _settings[i] = s with { Default = Coordinate(s, value) };
                return true;
            }
            if (s.Options.Any(o => o.Space?.TrySetDefault(name, value) == true)) return true;
        }
        return false;
    }

    /// <summary>The coordinate in [0, 1) that decodes to <paramref name="value"/>: the middle of its cell for integers and choices.</summary>
    private static double Coordinate(Setting s, object value)
    {
        string Describe() => $"Default {Convert.ToString(value, CultureInfo.InvariantCulture)} of setting '{s.Name}'";
        if (s.Kind == SettingKind.Choice)
        {
            int index = Array.FindIndex(s.Options, o => Equals(o.Value, value));
            if (index < 0) throw new ArgumentException($"{Describe()} is not one of its choices ({string.Join(", ", s.Options.Select(o => o.Value))}).", nameof(value));
            return (index + 0.5) / s.Options.Length;
        }
        if (value is not (int or long or short or byte or float or double or decimal))
            throw new ArgumentException($"{Describe()} is not a number ({value.GetType().Name}).", nameof(value));
        double v = Convert.ToDouble(value, CultureInfo.InvariantCulture);
        if (!(v >= s.Min && v <= s.Max) || s.Kind == SettingKind.Int && v != Math.Floor(v))
            throw new ArgumentOutOfRangeException(nameof(value), $"{Describe()} is outside its range [{s.Min.ToString(CultureInfo.InvariantCulture)}, {s.Max.ToString(CultureInfo.InvariantCulture)}]{(s.Kind == SettingKind.Int ? " of integers" : "")}.");
        (double lo, double hi) = s.Kind == SettingKind.Float ? (v, v) : (v, v + 1); // an integer v decodes from [v, v + 1)
        double Scale(double x) => s.Log ? Math.Log(x) : x;
        double min = Scale(s.Min), span = Scale(s.Kind == SettingKind.Int ? s.Max + 1 : s.Max) - min;
        double u = span == 0 ? 0.5 : ((Scale(lo) - min) + (Scale(hi) - min)) / 2 / span;
        return Math.Clamp(u, 0, Math.BitDecrement(1.0));
    }

    private void EncodeDefaults(List<double> point)
    {
        foreach (var s in _settings)
        {
            point.Add(s.Default ?? 0.5);
            foreach (var o in s.Options) o.Space?.EncodeDefaults(point);
        }
    }

    private void DecodeInto(IReadOnlyList<double> point, ref int next, Dictionary<string, object> values)
    {
        foreach (var s in _settings)
        {
            double u = Math.Clamp(point[next++], 0, Math.BitDecrement(1.0));
            switch (s.Kind)
            {
                case SettingKind.Float:
                    values[s.Name] = s.Log ? Math.Exp(Math.Log(s.Min) + u * (Math.Log(s.Max) - Math.Log(s.Min))) : s.Min + u * (s.Max - s.Min);
                    break;
                case SettingKind.Int:
                    values[s.Name] = s.Log
                        ? (int)Math.Clamp(Math.Floor(Math.Exp(Math.Log(s.Min) + u * (Math.Log(s.Max + 1) - Math.Log(s.Min)))), s.Min, s.Max)
                        : (int)Math.Clamp(Math.Floor(s.Min + u * (s.Max - s.Min + 1)), s.Min, s.Max);
                    break;
                default:
                    int chosen = (int)Math.Floor(u * s.Options.Length);
                    values[s.Name] = s.Options[chosen].Value;
                    for (int i = 0; i < s.Options.Length; i++)
                    {
                        if (s.Options[i].Space is not { } sub) continue;
                        var nested = new Dictionary<string, object>();
                        sub.DecodeInto(point, ref next, nested);
                        if (i == chosen) foreach (var (k, v) in nested) values[k] = v;
                    }
                    break;
            }
        }
    }

    private ParameterSpace Add(Setting setting)
    {
        // Every name is one entry of a trial's Parameters: a nested setting named like another would silently replace it.
        var added = new[] { setting.Name }.Concat(setting.Options.SelectMany(o => o.Space?.Names ?? [])).ToArray();
        var twice = added.Concat(Names).GroupBy(n => n, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (twice is not null)
            throw new ArgumentException($"Setting '{twice.Key}' is defined twice (names must be unique across the space, nested settings included).");
        _settings.Add(setting);
        return this;
    }

    private static void CheckRange(string name, double min, double max, bool log)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (!(min <= max) || !double.IsFinite(min) || !double.IsFinite(max) || !double.IsFinite(max - min))
            throw new ArgumentOutOfRangeException(nameof(min), $"Setting '{name}' needs finite min ≤ max whose difference is finite too; got [{min.ToString(CultureInfo.InvariantCulture)}, {max.ToString(CultureInfo.InvariantCulture)}].");
        if (log && min <= 0)
            throw new ArgumentOutOfRangeException(nameof(min), $"Setting '{name}' is on a log scale, so its range must be positive; got min {min.ToString(CultureInfo.InvariantCulture)}.");
    }

    private enum SettingKind { Float, Int, Choice }

    // Default: the coordinate of the declared default, or null (the centre).
    private sealed record Setting(string Name, SettingKind Kind, double Min, double Max, bool Log, (object Value, ParameterSpace? Space)[] Options, double? Default = null);
}
