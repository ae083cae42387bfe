namespace Rtgf.Pipeline.Publishing;

/// <summary>The current token of a (family, subject): what the next build's diff compares against.</summary>
internal sealed record CatalogRow(string TokenId, string FactsDigest, DateTimeOffset IssuedAt, DateTimeOffset Expires, long GlobalIndex);
