using System.Globalization;

namespace Microsoft.ML.Autoencoders.Experiments;

/// <summary>The settings of one trial, by name, with the point of the search space they came from.</summary>
public sealed class Parameters
{
    private readonly IReadOnlyDictionary<string, object> _values;

    internal Parameters(IReadOnlyDictionary<string, object> values, double[] point)
    {
        _values = values;
        Point = point;
    }

    /// <summary>The point in [0, 1)^d these parameters were decoded from.</summary>
    public IReadOnlyList<double> Point { get; }

    /// <summary>Every setting that is active at this point (nested settings of options not chosen are absent).</summary>
    public IReadOnlyDictionary<string, object> Values => _values;

    /// <summary>True when <paramref name="name"/> is active at this point.</summary>
    public bool Has(string name) => _values.ContainsKey(name);

    /// <summary>The value of <paramref name="name"/> as a <typeparamref name="T"/> (numbers convert; enums from their names).</summary>
    public T Get<T>(string name)
    {
        if (!_values.TryGetValue(name, out var value))
            throw new KeyNotFoundException($"Parameter '{name}' is not set at this point; active: {string.Join(", ", _values.Keys)}.");
        if (value is T typed) return typed;
        if (typeof(T).IsEnum) return (T)Enum.Parse(typeof(T), value.ToString()!);
        return (T)Convert.ChangeType(value, typeof(T), CultureInfo.InvariantCulture);
    }

    /// <summary>The value of <paramref name="name"/>, or <paramref name="fallback"/> when it is not active at this point.</summary>
    public T Get<T>(string name, T fallback) => Has(name) ? Get<T>(name) : fallback;

    /// <inheritdoc/>
    public override string ToString() => string.Join(", ", _values.Select(kv => $"{kv.Key} = {Format(kv.Value)}"));

    private static string Format(object value) => value switch
    {
        double d => d.ToString("G4", CultureInfo.InvariantCulture),
        _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "",
    };
}
