namespace Rtgf.Pipeline.Revocation;

/// <summary>
/// One revoked token: the epoch that revoked it, why (<c>automatic</c>: a fact disappeared or changed; <c>manual</c>: an
/// operator), its replacement if one was issued, and the log entry that records it.
/// </summary>
public sealed record RevocationRecord(
    long Epoch,
    string TokenId,
    string Family,
    string Subject,
    string StatusListUri,
    long StatusIndex,
    string Kind,
    string Reason,
    string? ReplacedBy,
    DateTimeOffset RevokedAt,
    long LogIndex);
