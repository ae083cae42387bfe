namespace Rtgf.Pipeline.Publishing;

/// <summary>A token the publication issues, its global status slot in the family, and the token it supersedes, if any.</summary>
internal sealed record PlannedIssue(string TokenId, string Family, string Subject, long GlobalIndex, string? Replaces);
