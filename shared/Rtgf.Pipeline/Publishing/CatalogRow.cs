namespace Rtgf.Pipeline.Publishing;

/// <summary>
/// The current token of a (family, subject): what the next build's diff compares against. <see cref="AssertionDigest"/>
/// is null in rows written before it existed (then <see cref="FactsDigest"/> stands in); so is <see cref="LogIndex"/> (the
/// token's transparency-log entry, which the registry then reads from the token row). <see cref="GlobalIndex"/> is the
/// token's slot across its family's status lists, not its log index.
/// </summary>
internal sealed record CatalogRow(string TokenId, string FactsDigest, DateTimeOffset IssuedAt, DateTimeOffset Expires, long GlobalIndex, string? AssertionDigest = null, long? LogIndex = null);
