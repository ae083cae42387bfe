namespace Rtgf.Compiler;

/// <summary>
/// One compiled token before signing. <see cref="PayloadJson"/> is the canonical (RFC 8785) JSON of every claim the
/// compiler decides (<c>iss, sub, fam, iat, nbf, exp, snap, facts</c>); publish adds <c>rev_epoch</c> and <c>status</c>.
/// <see cref="TokenId"/> is the lowercase hex SHA-256 of <see cref="PayloadJson"/>; <see cref="FactsDigest"/> the same of
/// <see cref="FactsJson"/>, which is what revocation compares.
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
    ReadOnlyMemory<byte> PayloadJson);
