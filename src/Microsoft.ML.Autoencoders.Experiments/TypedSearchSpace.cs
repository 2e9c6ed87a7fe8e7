using System.Reflection;

namespace Microsoft.ML.Autoencoders.Experiments;

/// <summary>
/// A numeric setting of an options class searched by an experiment (as ML.NET SearchSpace's <c>[Range]</c>): the property
/// takes values in [<see cref="Min"/>, <see cref="Max"/>], uniformly or (with <see cref="LogBase"/>) log-uniformly. An
/// <c>int</c> property gives integer values. The property's initial value in a new instance is the declared default.
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class RangeAttribute(double min, double max) : Attribute
{
    /// <summary>Smallest value.</summary>
    public double Min { get; } = min;

    /// <summary>Largest value.</summary>
    public double Max { get; } = max;

    /// <summary>Log-uniform rather than uniform (the range must then be positive).</summary>
    public bool LogBase { get; init; }
}

/// <summary>
/// A setting of an options class that takes one of <see cref="Values"/> (as ML.NET SearchSpace's <c>[Choice]</c>):
/// strings, numbers, booleans or enum values of the property's type. The property's initial value is the declared default.
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class ChoiceAttribute(params object[] values) : Attribute
{
    /// <summary>The values to choose from.</summary>
    public object[] Values { get; } = values;
}

/// <summary>
/// Makes a <see cref="RangeAttribute"/> or <see cref="ChoiceAttribute"/> setting exist only when the choice property
/// <paramref name="choice"/> has the value <paramref name="value"/> (a nested setting: e.g. a corruption level only for the
/// denoising family). Inactive settings keep their initial values.
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class ActiveWhenAttribute(string choice, object value) : Attribute
{
    /// <summary>The choice property's name.</summary>
    public string Choice { get; } = choice;

    /// <summary>The value it must have.</summary>
    public object Value { get; } = value;
}

/// <summary>
/// Typed search spaces: an options class whose properties carry <see cref="RangeAttribute"/>, <see cref="ChoiceAttribute"/>
/// and <see cref="ActiveWhenAttribute"/> becomes a <see cref="ParameterSpace"/> (one setting per property, named after it,
/// in declaration order, its default the property's initial value), and a trial's <see cref="Parameters"/> become an
/// instance of the class again.
/// </summary>
/// <example>
/// <code>
/// public sealed class MyTrial
/// {
///     [Range(4, 128, LogBase = true)] public int CodeSize { get; set; } = 32;
///     [Choice("dense", "denoising")] public string Family { get; set; } = "dense";
///     [Range(0.05, 0.5), ActiveWhen(nameof(Family), "denoising")] public double CorruptionLevel { get; set; } = 0.3;
/// }
/// var space = ParameterSpace.Of&lt;MyTrial&gt;();
/// // in the pipeline factory: MyTrial options = trial.Parameters.As&lt;MyTrial&gt;();
/// </code>
/// </example>
public sealed partial class ParameterSpace
{
    /// <summary>The space of <typeparamref name="TOptions"/>'s attributed properties, with their initial values as declared defaults.</summary>
    public static ParameterSpace Of<TOptions>() where TOptions : new()
    {
        var properties = SearchedProperties(typeof(TOptions));
        if (properties.Length == 0)
            throw new ArgumentException($"{typeof(TOptions).Name} has no public settable property marked [Range] or [Choice].", nameof(TOptions));
        var defaults = new TOptions();
        var byName = properties.ToDictionary(p => p.Property.Name, StringComparer.Ordinal);
        foreach (var p in properties.Where(p => p.ActiveWhen is not null))
        {
            if (!byName.TryGetValue(p.ActiveWhen!.Choice, out var owner) || owner.Choice is null || owner.ActiveWhen is not null)
                throw new ArgumentException($"{typeof(TOptions).Name}.{p.Property.Name}: [ActiveWhen] names '{p.ActiveWhen.Choice}', which is not a top-level [Choice] property of the class.", nameof(TOptions));
            if (!owner.Choice.Values.Any(v => Equals(v, p.ActiveWhen.Value)))
                throw new ArgumentException($"{typeof(TOptions).Name}.{p.Property.Name}: [ActiveWhen] value '{p.ActiveWhen.Value}' is not one of {owner.Property.Name}'s choices.", nameof(TOptions));
        }
        ParameterSpace Build(IEnumerable<Searched> settings)
        {
            var space = new ParameterSpace();
            foreach (var s in settings)
            {
                if (s.Range is { } range)
                {
                    if (s.Property.PropertyType == typeof(int)) space.Int(s.Property.Name, checked((int)range.Min), checked((int)range.Max), range.LogBase);
                    else space.Float(s.Property.Name, range.Min, range.Max, range.LogBase);
                }
                else
                {
                    var options = s.Choice!.Values.Select(v =>
                    {
                        var nested = properties.Where(n => n.ActiveWhen?.Choice == s.Property.Name && Equals(n.ActiveWhen.Value, v)).ToArray();
                        return (v, nested.Length == 0 ? null : Build(nested));
                    }).ToArray();
                    space.Choice(s.Property.Name, options);
                }
            }
            return space;
        }
        var result = Build(properties.Where(p => p.ActiveWhen is null));
        foreach (var p in properties)
        {
            var value = p.Property.GetValue(defaults) ?? throw new ArgumentException($"{typeof(TOptions).Name}.{p.Property.Name} starts null; give it an initial value (the space's default).", nameof(TOptions));
            result.WithDefault(p.Property.Name, value);
        }
        return result;
    }

    /// <summary>
    /// A new <typeparamref name="TOptions"/> whose public settable properties named like a setting active at this point are
    /// set from <paramref name="parameters"/> (converted as <see cref="Parameters.Get{T}(string)"/> converts); the others keep
    /// their initial values.
    /// </summary>
    internal static TOptions As<TOptions>(Parameters parameters) where TOptions : new()
    {
        var options = new TOptions();
        var get = typeof(Parameters).GetMethod(nameof(Parameters.Get), [typeof(string)])!;
        foreach (var property in typeof(TOptions).GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite && parameters.Has(p.Name)))
        {
            try
            {
                property.SetValue(options, get.MakeGenericMethod(property.PropertyType).Invoke(parameters, [property.Name]));
            }
            catch (TargetInvocationException e) when (e.InnerException is not null)
            {
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(e.InnerException); // names the parameter and its value
            }
        }
        return options;
    }

    private sealed record Searched(PropertyInfo Property, RangeAttribute? Range, ChoiceAttribute? Choice, ActiveWhenAttribute? ActiveWhen);

    private static Searched[] SearchedProperties(Type type) => type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
        .Where(p => p.CanWrite && (p.IsDefined(typeof(RangeAttribute)) || p.IsDefined(typeof(ChoiceAttribute))))
        .OrderBy(p => p.MetadataToken)
        .Select(p => new Searched(p, p.GetCustomAttribute<RangeAttribute>(), p.GetCustomAttribute<ChoiceAttribute>(), p.GetCustomAttribute<ActiveWhenAttribute>()))
        .ToArray();
}

public sealed partial class Parameters
{
    /// <summary>
    /// A new <typeparamref name="TOptions"/> whose public settable properties named like a setting active at this point are
    /// set from these parameters (converted as <see cref="Get{T}(string)"/> converts); the others keep their initial values.
    /// The reverse of <see cref="ParameterSpace.Of{TOptions}"/>.
    /// </summary>
    public TOptions As<TOptions>() where TOptions : new() => ParameterSpace.As<TOptions>(this);
}
