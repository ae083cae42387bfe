namespace Rtgf.Pipeline.Registry;

/// <summary>One completed publication of a build: counts, the log size after it and the revocation epoch it left.</summary>
public sealed record Publication(string BuildId, DateTimeOffset PublishedAt, long Issued, long Revoked, long Unchanged, long TreeSize, long RevocationEpoch);
