using TorchSharp;

namespace Microsoft.ML.Autoencoders.Training;

/// <summary>
/// Makes sure libtorch can be used before training starts. This package references TorchSharp (the managed API) but no
/// native backend, so that an application chooses one: without TorchSharp-cpu (or a CUDA build) TorchSharp's first call
/// fails with a TypeInitializationException that does not say which package is missing.
/// </summary>
internal static class TorchRuntime
{
    private static volatile bool _available;

    /// <summary>The package reference that fixes a missing backend, as the error message gives it.</summary>
    public const string BackendPackageHint =
        "Add a TorchSharp backend package to the application: <PackageReference Include=\"TorchSharp-cpu\" Version=\"0.107.0\" /> " +
        "(or a CUDA build of TorchSharp 0.107.0 on a machine with an NVIDIA GPU).";

    /// <summary>Throws an <see cref="InvalidOperationException"/> naming the missing package when libtorch cannot be loaded.</summary>
    public static void EnsureAvailable()
    {
        if (_available) return;
        try
        {
            torch.InitializeDeviceType(DeviceType.CPU);
        }
        catch (Exception e) when (e is TypeInitializationException or DllNotFoundException or NotSupportedException or EntryPointNotFoundException)
        {
            throw new InvalidOperationException($"Training needs TorchSharp's native library (libtorch), which could not be loaded: {Innermost(e).Message} {BackendPackageHint}", e);
        }
        _available = true;
    }

    private static Exception Innermost(Exception e)
    {
        while (e.InnerException is not null) e = e.InnerException;
        return e;
    }
}
