using System.Reflection;

namespace Microsoft.ML.Autoencoders;

/// <summary>
/// One member that ML.NET keeps internal, looked up once by reflection. Using it when an ML.NET version lacks it throws
/// at that first use, naming the member and what it is for; <see cref="MLNetInternals.Missing"/> lists every such
/// member that is not there (a test checks them all at start-up).
/// </summary>
internal sealed class InternalMember<T> where T : MemberInfo
{
    private readonly Lazy<T?> _member;

    public InternalMember(string description, string purpose, Func<T?> find)
    {
        Description = description;
        Purpose = purpose;
        _member = new Lazy<T?>(find);
    }

    /// <summary>What the member is, e.g. "the MaximumEntropyModelParameters constructor".</summary>
    public string Description { get; }

    /// <summary>What this package uses it for.</summary>
    public string Purpose { get; }

    public bool IsAvailable => _member.Value is not null;

    /// <summary>The member, or a <see cref="MissingMemberException"/> that says which one is missing and why it is needed.</summary>
    public T Get() => _member.Value ?? throw new MissingMemberException(
        $"This version of ML.NET does not expose {Description}, which Microsoft.ML.Autoencoders uses {Purpose}; " +
        "use the version of Microsoft.ML this package was built against (5.0.x).");
}
