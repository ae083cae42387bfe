namespace Rtgf.Pipeline.Registry;

/// <summary>A token family in the catalog: how many tokens are current (latest per subject, not revoked) and when it last changed.</summary>
public sealed record FamilySummary(string Family, long CurrentTokens, long RevokedTokens, string? LatestBuildId, DateTimeOffset? LatestPublishedAt);
