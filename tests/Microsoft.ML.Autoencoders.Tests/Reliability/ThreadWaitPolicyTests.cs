using System.Runtime.InteropServices;

namespace Microsoft.ML.Autoencoders.Tests.Reliability;

public class ThreadWaitPolicyTests
{
    [DllImport("libc")]
    private static extern IntPtr getenv(string name);

    [Fact]
    public void Loading_the_library_makes_libtorchs_OpenMP_threads_wait_passively_unless_the_user_chose()
    {
        var chosen = Environment.GetEnvironmentVariable("OMP_WAIT_POLICY"); // may have been set by the library already
        _ = new AutoencoderOptions(); // loads the library (its module initializer runs first)
        var native = Marshal.PtrToStringAnsi(getenv("OMP_WAIT_POLICY")); // what libgomp reads: the C library's environment
        Assert.Equal(chosen ?? "PASSIVE", native);
        Assert.Equal(native, Environment.GetEnvironmentVariable("OMP_WAIT_POLICY"));
    }
}
