namespace Rtgf.Pipeline.Registry;

/// <summary>A family's current token for a subject as the catalog lists it: no JWS, so a whole family lists without reading each token.</summary>
public sealed record CatalogEntry(string Subject, string TokenId, long LogIndex, string FactsDigest);
