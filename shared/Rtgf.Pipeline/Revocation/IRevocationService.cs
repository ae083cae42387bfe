namespace Rtgf.Pipeline.Revocation;

/// <summary>Manual revocation by an operator: the same path as automatic revocation (status bit, epoch, log entry).</summary>
public interface IRevocationService
{
    /// <summary>
    /// Revokes <paramref name="tokenId"/>. Revoking an already revoked token returns its existing record (idempotent);
    /// an unknown token is <see cref="KeyNotFoundException"/>; while publication is frozen, <see cref="Freeze.PublicationFrozenException"/>.
    /// </summary>
    Task<RevocationRecord> RevokeAsync(string tokenId, string reason, string actor, CancellationToken cancellationToken = default);
}
