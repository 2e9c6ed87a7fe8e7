using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Microsoft.ML.Autoencoders.Training;

/// <summary>
/// libtorch's OpenMP threads (GNU libgomp on Linux) spin while they wait for work unless <c>OMP_WAIT_POLICY=PASSIVE</c>.
/// Alone that buys nothing measurable; beside other CPU-heavy processes (two trainings at once, a test suite running
/// samples in child processes) the spinning threads take the cores from the ones with work, and training slowed
/// twentyfold in the reported case. This sets PASSIVE for the process when the assembly loads, before libtorch (and so
/// libgomp, which reads the variable once) is loaded; a value the user set is kept.
/// </summary>
internal static class ThreadWaitPolicy
{
    public const string Variable = "OMP_WAIT_POLICY";

#pragma warning disable CA2255 // A library module initializer is the only hook that runs before the first torch call.
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void Apply()
    {
        if (!string.IsNullOrEmpty(Environment.GetEnvironmentVariable(Variable))) return;
        Environment.SetEnvironmentVariable(Variable, "PASSIVE");
        // .NET keeps its own copy of the environment on Unix: native code (libgomp) reads the C library's.
        if (!OperatingSystem.IsWindows())
        {
            try { _ = setenv(Variable, "PASSIVE", 0); }
            catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException) { }
        }
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int setenv(string name, string value, int overwrite);
}
