using Rtgf.Transparency.Storage;

namespace Rtgf.Pipeline.Tests.Publishing;

/// <summary>An <see cref="ILogObjectStore"/> whose writes crash once the budget is spent.</summary>
internal sealed class CrashingLogObjectStore(ILogObjectStore inner, CrashBudget budget) : ILogObjectStore
{
    public ValueTask<StoredObject?> GetAsync(string path, CancellationToken cancellationToken = default) => inner.GetAsync(path, cancellationToken);

    public async ValueTask<bool> CreateAsync(string path, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default) =>
        await budget.WriteAsync("log create " + path, () => inner.CreateAsync(path, content, cancellationToken).AsTask());

    public async ValueTask<string?> SwapAsync(string path, ReadOnlyMemory<byte> content, string? expectedVersion, CancellationToken cancellationToken = default) =>
        await budget.WriteAsync("log swap " + path, () => inner.SwapAsync(path, content, expectedVersion, cancellationToken).AsTask());
}
