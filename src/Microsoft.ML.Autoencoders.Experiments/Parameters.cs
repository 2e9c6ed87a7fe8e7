using System.Globalization;

namespace Microsoft.ML.Autoencoders.Experiments;

/// <summary>The settings of one trial, by name, with the point of the search space they came from.</summary>
public sealed partial class Parameters
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
    /// <exception cref="KeyNotFoundException">The parameter is not active at this point.</exception>
    /// <exception cref="InvalidCastException">Its value does not convert to <typeparamref name="T"/> (the message names the parameter and the value).</exception>
    public T Get<T>(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (!_values.TryGetValue(name, out var value))
            throw new KeyNotFoundException($"Parameter '{name}' is not set at this point; active: {string.Join(", ", _values.Keys)}.");
        if (value is T typed) return typed;
        var target = Nullable.GetUnderlyingType(typeof(T)) ?? typeof(T);
        try
        {
            if (target.IsEnum)
            {
                var text = Convert.ToString(value, CultureInfo.InvariantCulture)!;
                if (Enum.TryParse(target, text, ignoreCase: false, out var parsed) && Enum.IsDefined(target, parsed!)) return (T)parsed!;
                throw new FormatException($"it is not one of {string.Join(", ", Enum.GetNames(target))}");
            }
            return (T)Convert.ChangeType(value, target, CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is FormatException or InvalidCastException or OverflowException)
        {
            throw new InvalidCastException($"Parameter '{name}' has the value {Format(value)} ({value.GetType().Name}), which is not a {target.Name}: {e.Message}", e);
        }
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
