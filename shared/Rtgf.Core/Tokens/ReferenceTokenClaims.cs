namespace Rtgf.Core.Tokens;

/// <summary>
/// The claims of a reference token (docs/spec/token-format.md). Times are whole seconds; <see cref="IssuedAt"/> is the
/// snapshot's fetch time, never the wall clock, so recompiling the same snapshot gives the same payload bytes.
/// </summary>
public sealed class ReferenceTokenClaims
{
    /// <summary><c>iss</c>: the issuer URL.</summary>
    public required string Issuer { get; init; }

    /// <summary><c>sub</c>: the subject id, e.g. <c>rto:12345</c>.</summary>
    public required string Subject { get; init; }

    /// <summary><c>fam</c>: the token family, e.g. <c>rto-registration</c>.</summary>
    public required string Family { get; init; }

    /// <summary><c>iat</c>: the snapshot's fetch time.</summary>
    public required DateTimeOffset IssuedAt { get; init; }

    /// <summary><c>nbf</c>: start of validity (from policy).</summary>
    public required DateTimeOffset NotBefore { get; init; }

    /// <summary><c>exp</c>: end of validity (from policy).</summary>
    public required DateTimeOffset Expires { get; init; }

    /// <summary><c>snap</c>: the snapshot digest, <c>sha256:</c> and 64 lowercase hex digits.</summary>
    public required string SnapshotDigest { get; init; }

    /// <summary><c>rev_epoch</c>: the revocation epoch the token was compiled in.</summary>
    public required long RevocationEpoch { get; init; }

    /// <summary><c>status.status_list</c>: where the token's revocation status lives.</summary>
    public required StatusListReference Status { get; init; }

    /// <summary><c>facts</c>: the family-specific facts, a JSON object as UTF-8 (canonicalised when written).</summary>
    public required ReadOnlyMemory<byte> FactsJson { get; init; }
}
