using TorchSharp;

namespace Microsoft.ML.Autoencoders.Training;

/// <summary>
/// Torch has one random generator per process (weight initialisation, dropout, corruption noise all draw from it).
/// Two trainings on different threads would interleave their draws, so a seed would no longer reproduce the codes.
/// Each seeded training therefore holds this gate from seeding to its last step: trainings in one process take
/// turns (torch already spreads one training over every core, so little is lost).
/// </summary>
internal static class TorchRandomness
{
    private static readonly object Gate = new();

    /// <summary>Waits for the generator, seeds it, and keeps it until the returned value is disposed (same thread).</summary>
    public static Lease Seed(int seed)
    {
        Monitor.Enter(Gate);
        torch.manual_seed(seed);
        return new Lease();
    }

    /// <summary>
    /// Keeps the generator without reseeding it, for code that draws from it only to build a network whose weights
    /// are then overwritten: those draws must not land in the middle of another thread's training.
    /// </summary>
    public static Lease Hold()
    {
        Monitor.Enter(Gate);
        return new Lease();
    }

    public readonly struct Lease : IDisposable
    {
        public void Dispose() => Monitor.Exit(Gate);
    }
}
