namespace Rtgf.Transparency.Integration;

/// <summary>
/// The log writers' mutual exclusion: one lease with an expiry (a Blob lease in Azure, memory in tests), as Sunlight's lock
/// backend and Tessera's sequencer serialise integration. <see cref="LogWriterLease"/> holds, renews and releases it.
/// </summary>
public interface ILogWriterLock
{
    /// <summary>The clock its leases expire by (a storage server's is real time): holders time renewals and waits with it.</summary>
    TimeProvider Time { get; }

    /// <summary>Takes the lease for <paramref name="duration"/>; its id, or null while another writer holds an unexpired lease.</summary>
    ValueTask<string?> TryAcquireAsync(TimeSpan duration, CancellationToken cancellationToken = default);

    /// <summary>
    /// Extends the lease by its duration from now. False when it is lost: taken by another writer after it expired, broken or released.
    /// An expired lease that nobody took since renews (nobody can have written under it).
    /// </summary>
    ValueTask<bool> TryRenewAsync(string leaseId, CancellationToken cancellationToken = default);

    /// <summary>Gives the lease up; releasing a lease that is already lost does nothing.</summary>
    ValueTask ReleaseAsync(string leaseId, CancellationToken cancellationToken = default);
}
