namespace Microsoft.ML.Autoencoders.Lifetime;

/// <summary>
/// Makes a disposable type safe to dispose while other threads use it: every use runs inside <see cref="Enter"/>, which
/// throws <see cref="ObjectDisposedException"/> naming the owner once disposal has begun, and <see cref="BeginDispose"/>
/// waits for the uses already in flight before the owner releases its native resources (an ONNX Runtime session, a USearch
/// index). Uses are counted with one interlocked word, so a use costs two atomic operations and no lock.
/// </summary>
internal sealed class DisposalGuard(string owner)
{
    private const int DisposedBit = int.MinValue;

    // Sign bit: disposal has begun. Other bits: uses in flight.
    private int _state;

    /// <summary>The name the <see cref="ObjectDisposedException"/> gives (the public type's name).</summary>
    public string Owner { get; } = owner;

    /// <summary>True once <see cref="BeginDispose"/> has been called.</summary>
    public bool IsDisposed => Volatile.Read(ref _state) < 0;

    /// <summary>Starts a use; dispose the scope when it ends. Throws <see cref="ObjectDisposedException"/> after disposal.</summary>
    public Scope Enter()
    {
        var spin = new SpinWait();
        while (true)
        {
            int state = Volatile.Read(ref _state);
            if (state < 0) throw Disposed();
            if (Interlocked.CompareExchange(ref _state, state + 1, state) == state) return new Scope(this);
            spin.SpinOnce();
        }
    }

    /// <summary>Throws <see cref="ObjectDisposedException"/> when disposal has begun (for calls that hold no native resource).</summary>
    public void ThrowIfDisposed()
    {
        if (IsDisposed) throw Disposed();
    }

    /// <summary>Runs <paramref name="use"/> inside a use.</summary>
    public T Run<T>(Func<T> use)
    {
        using var _ = Enter();
        return use();
    }

    /// <summary>
    /// Refuses new uses and waits until those in flight have ended. True the first time (the caller then releases its
    /// resources), false on every later call (already disposed). Must not be called from inside a use of the same guard.
    /// </summary>
    public bool BeginDispose()
    {
        int before = Interlocked.Or(ref _state, DisposedBit);
        if (before < 0) return false;
        var spin = new SpinWait();
        while (Volatile.Read(ref _state) != DisposedBit) spin.SpinOnce(sleep1Threshold: 20);
        return true;
    }

    private ObjectDisposedException Disposed() => new(Owner, $"This {Owner} has been disposed; it cannot be used any more.");

    /// <summary>One use in flight; ends when disposed.</summary>
    public readonly struct Scope(DisposalGuard guard) : IDisposable
    {
        public void Dispose() => Interlocked.Decrement(ref guard._state);
    }
}
