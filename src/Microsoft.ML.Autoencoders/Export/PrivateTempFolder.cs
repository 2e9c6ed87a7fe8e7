using System.Runtime.InteropServices;

namespace Microsoft.ML.Autoencoders.Export;

/// <summary>
/// Where ML.NET may write the ONNX copies it needs while this process scores. ML.NET's OnnxTransformer hands ONNX
/// Runtime a file, written with default permissions (readable by every user) into <c>MLContext.TempFilePath</c>, and
/// does not delete it when the transformer is disposed. Our transformers give it a folder of their own instead, inside
/// one per-process folder that only its owner can enter (mode 0700); a transformer deletes its folder when disposed,
/// and the process deletes the whole folder when it exits normally or is stopped by SIGTERM (how services are stopped;
/// .NET runs no ProcessExit handler then). SIGKILL cannot be handled: a process killed so leaves the folder behind.
/// </summary>
internal static class PrivateTempFolder
{
    private static readonly Lazy<string> Root = new(CreateRoot, LazyThreadSafetyMode.ExecutionAndPublication);

    // Kept alive for the process's lifetime: disposing the registration would remove the handler.
    private static PosixSignalRegistration? _sigterm;

    /// <summary>The per-process folder (created on first use).</summary>
    public static string RootPath => Root.Value;

    /// <summary>A new, empty folder inside <see cref="RootPath"/>, for one transformer's files.</summary>
    public static string CreateFolder()
    {
        var root = RootPath;
        // A cancelled SIGTERM (a host that shuts down gracefully) may have removed it: recreate it private.
        if (!Directory.Exists(root) && !OperatingSystem.IsWindows()) Directory.CreateDirectory(root, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return Directory.CreateDirectory(Path.Combine(root, Guid.NewGuid().ToString("N"))).FullName;
    }

    /// <summary>An MLContext whose temporary files go to <paramref name="folder"/>.</summary>
    public static MLContext Context(string folder) => new() { TempFilePath = folder };

    /// <summary>Deletes a folder made by <see cref="CreateFolder"/> (best effort: nothing else can read it anyway).</summary>
    public static void Delete(string folder)
    {
        try { Directory.Delete(folder, recursive: true); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
    }

    private static string CreateRoot()
    {
        // CreateTempSubdirectory uses mkdtemp on Unix: mode 0700, a name no other process can predict.
        var folder = Directory.CreateTempSubdirectory("ml-autoencoders-").FullName;
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Delete(folder);
        try
        {
            // Runs before the default action (termination); a handler elsewhere that cancels it keeps the process alive,
            // and then the folder is left to ProcessExit.
            _sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
            {
                if (!context.Cancel) Delete(folder);
            });
        }
        catch (PlatformNotSupportedException) { }
        return folder;
    }
}
