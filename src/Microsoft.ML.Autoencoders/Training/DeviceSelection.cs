using Microsoft.ML.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.Autoencoders.Training;

/// <summary>Picks the TorchSharp device from ML.NET-style settings (GpuDeviceId, FallbackToCpu).</summary>
internal static class DeviceSelection
{
    public static Device Resolve(int? gpuDeviceId, bool fallbackToCpu, IHost host)
    {
        if (gpuDeviceId is not int id) return CPU;
        if (cuda.is_available() && id < cuda.device_count()) return new Device(DeviceType.CUDA, id);
        var reason = cuda.is_available()
            ? $"GPU {id} was requested but only {cuda.device_count()} CUDA device(s) exist"
            : $"GPU {id} was requested but no CUDA backend is installed (reference the TorchSharp-cuda package for your platform)";
        if (!fallbackToCpu) throw new InvalidOperationException(reason + "; set FallbackToCpu = true to train on the CPU instead.");
        using var ch = host.Start("Device");
        ch.Warning(MessageSensitivity.None, reason + "; training on the CPU.");
        return CPU;
    }
}
