namespace Rtgf.Pipeline.Registry;

/// <summary>
/// A published token: <see cref="TokenId"/> is the lowercase hex SHA-256 of its compiled payload (so it is the same however
/// often a publish is re-delivered), <see cref="Jws"/> the signed compact JWS, <see cref="LogIndex"/> its transparency-log
/// entry, and its slot in the family's status list.
/// </summary>
public sealed record RegisteredToken(
    string TokenId,
    string Family,
    string Subject,
    string Jws,
    long LogIndex,
    string BuildId,
    DateTimeOffset IssuedAt,
    DateTimeOffset Expires,
    string FactsDigest,
    string StatusListUri,
    long StatusIndex,
    long RevocationEpoch);
