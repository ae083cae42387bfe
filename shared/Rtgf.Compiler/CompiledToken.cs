namespace Rtgf.Compiler;

/// <summary>
/// One compiled token before signing. <see cref="PayloadJson"/> is the canonical (RFC 8785) JSON of every claim the
/// compiler decides (<c>iss, sub, fam, iat, nbf, exp, snap, facts</c>); publish adds <c>rev_epoch</c> and <c>status</c>.
/// <see cref="TokenId"/> is the lowercase hex SHA-256 of <see cref="PayloadJson"/>; <see cref="FactsDigest"/> the same of
/// <see cref="FactsJson"/>. <see cref="AssertionDigest"/> is the same over the facts without the family's provenance
/// member (see <see cref="Families.FamilyBuilder.ProvenanceMember"/>); it is what revocation compares.
/// </summary>
public sealed record CompiledToken(
    string TokenId,
    string Family,
    string Subject,
    DateTimeOffset IssuedAt,
    DateTimeOffset NotBefore,
    DateTimeOffset Expires,
    string SnapshotDigest,
    string FactsJson,
    string FactsDigest,
    ReadOnlyMemory<byte> PayloadJson)
{
    /// <summary>The facts digest without provenance: equal to <see cref="FactsDigest"/> in families that state none.</summary>
    public string AssertionDigest { get; init; } = FactsDigest;
}
