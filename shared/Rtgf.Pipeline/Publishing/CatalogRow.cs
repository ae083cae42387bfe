namespace Rtgf.Pipeline.Publishing;

/// <summary>
/// The current token of a (family, subject): what the next build's diff compares against. <see cref="AssertionDigest"/>
/// is null in rows written before it existed (then <see cref="FactsDigest"/> stands in).
/// </summary>
internal sealed record CatalogRow(string TokenId, string FactsDigest, DateTimeOffset IssuedAt, DateTimeOffset Expires, long GlobalIndex, string? AssertionDigest = null);
