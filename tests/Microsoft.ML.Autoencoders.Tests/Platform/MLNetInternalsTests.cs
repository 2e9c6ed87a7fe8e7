using System.Reflection;

namespace Microsoft.ML.Autoencoders.Tests.Platform;

/// <summary>Every ML.NET internal member the package reaches by reflection is there, and a missing one fails naming itself.</summary>
public class MLNetInternalsTests
{
    [Fact]
    public void Every_internal_member_used_exists_in_this_MLNET()
    {
        Assert.Empty(MLNetInternals.Missing());
    }

    [Fact]
    public void A_missing_member_fails_at_first_use_naming_it_and_its_purpose()
    {
        var missing = new InternalMember<MethodInfo>("the Frobnicate method", "to frobnicate models", () => null);
        Assert.False(missing.IsAvailable);
        var error = Assert.Throws<MissingMemberException>(() => missing.Get());
        Assert.Contains("the Frobnicate method", error.Message);
        Assert.Contains("to frobnicate models", error.Message);
    }
}
