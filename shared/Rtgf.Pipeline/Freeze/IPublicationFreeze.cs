namespace Rtgf.Pipeline.Freeze;

/// <summary>
/// The publication freeze set by the determinism harness (<c>RTGF_PIPELINE_DETERMINISM_FAIL</c>). Every publish path
/// (publish, manual revocation, status-list publication) checks it first and refuses while it is set.
/// </summary>
public interface IPublicationFreeze
{
    Task<FreezeState> GetAsync(CancellationToken cancellationToken = default);

    /// <summary>Sets the freeze (idempotent: freezing a frozen pipeline keeps the first reason).</summary>
    Task<FreezeState> FreezeAsync(string buildId, string reason, CancellationToken cancellationToken = default);

    /// <summary>Clears the freeze with the operator's reason; the clearing is written to the transparency log.</summary>
    Task<FreezeState> ClearAsync(string reason, string actor, CancellationToken cancellationToken = default);
}
