using Rtgf.Transparency.Storage;

namespace Rtgf.Transparency.Tests.Support;

/// <summary>
/// Wraps a store and "crashes" (throws) at write number <see cref="FailAt"/> (creates and swaps count), either before
/// the write reaches the store or after it (the write landed but the process died before seeing the answer).
/// </summary>
internal sealed class FaultInjectingStore(ILogObjectStore inner) : ILogObjectStore
{
    public int FailAt { get; set; }

    public bool FailAfterWrite { get; set; }

    public int Writes { get; private set; }

    public ValueTask<StoredObject?> GetAsync(string path, CancellationToken cancellationToken = default) => inner.GetAsync(path, cancellationToken);

    public async ValueTask<bool> CreateAsync(string path, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default)
    {
        var crash = Count();
        if (crash && !FailAfterWrite)
        {
            throw new SimulatedCrashException(Writes);
        }

        var result = await inner.CreateAsync(path, content, cancellationToken);
        return crash ? throw new SimulatedCrashException(Writes) : result;
    }

    public async ValueTask<string?> SwapAsync(string path, ReadOnlyMemory<byte> content, string? expectedVersion, CancellationToken cancellationToken = default)
    {
        var crash = Count();
        if (crash && !FailAfterWrite)
        {
            throw new SimulatedCrashException(Writes);
        }

        var result = await inner.SwapAsync(path, content, expectedVersion, cancellationToken);
        return crash ? throw new SimulatedCrashException(Writes) : result;
    }

    private bool Count() => ++Writes == FailAt;
}

internal sealed class SimulatedCrashException(int write) : Exception($"Simulated crash at write {write}.");
