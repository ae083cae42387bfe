using Rtgf.Transparency.Integration;

namespace Rtgf.Pipeline.Tests.Publishing;

/// <summary>An <see cref="ILogWriterLock"/> whose lease operations (each changes the lease's state) crash once the budget is spent.</summary>
internal sealed class CrashingLogWriterLock(ILogWriterLock inner, CrashBudget budget) : ILogWriterLock
{
    public TimeProvider Time => inner.Time;

    public async ValueTask<string?> TryAcquireAsync(TimeSpan duration, CancellationToken cancellationToken = default) =>
        await budget.WriteAsync("lease acquire", () => inner.TryAcquireAsync(duration, cancellationToken).AsTask());

    public async ValueTask<bool> TryRenewAsync(string leaseId, CancellationToken cancellationToken = default) =>
        await budget.WriteAsync("lease renew", () => inner.TryRenewAsync(leaseId, cancellationToken).AsTask());

    public async ValueTask ReleaseAsync(string leaseId, CancellationToken cancellationToken = default) =>
        await budget.WriteAsync("lease release", () => inner.ReleaseAsync(leaseId, cancellationToken).AsTask());
}
