namespace Rtgf.Pipeline.Revocation;

/// <summary>What the revocations and verifier APIs read.</summary>
public interface IRevocationReader
{
    /// <summary>The current revocation epoch (0 before the first revocation).</summary>
    Task<long> GetEpochAsync(CancellationToken cancellationToken = default);

    /// <summary>The last epoch whose revocations are all stored (the current one unless a publication is storing its own).</summary>
    Task<long> GetCompleteEpochAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// The revocations after <paramref name="after"/> in feed order (epoch, then token id), at most <paramref name="max"/>
    /// (any number from 1), of whole epochs only: none after the page's <see cref="RevocationChanges.CompleteEpoch"/>.
    /// </summary>
    Task<RevocationChanges> GetChangesAfterAsync(RevocationFeedPosition after, int max, CancellationToken cancellationToken = default);

    /// <summary>A status list token by id, or null.</summary>
    Task<StatusListDocument?> GetStatusListAsync(string listId, CancellationToken cancellationToken = default);

    /// <summary>Every published status list, ordered by id.</summary>
    Task<IReadOnlyList<StatusListDocument>> ListStatusListsAsync(CancellationToken cancellationToken = default);

    /// <summary>The revocation of a token, or null when it is not revoked.</summary>
    Task<RevocationRecord?> GetRevocationAsync(string tokenId, CancellationToken cancellationToken = default);
}
