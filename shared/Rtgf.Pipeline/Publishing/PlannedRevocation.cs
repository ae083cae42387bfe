namespace Rtgf.Pipeline.Publishing;

/// <summary>A token the publication revokes: why (<c>automatic</c> or <c>manual</c>) and its replacement, if one is issued.</summary>
internal sealed record PlannedRevocation(string TokenId, string Family, string Subject, long GlobalIndex, string Kind, string Reason, string? ReplacedBy);
