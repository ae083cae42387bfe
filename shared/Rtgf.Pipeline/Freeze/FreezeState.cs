namespace Rtgf.Pipeline.Freeze;

/// <summary>Whether publication is frozen, since when, for which build and why; and the last clearing.</summary>
public sealed record FreezeState(
    bool IsFrozen,
    string? BuildId,
    string? Reason,
    DateTimeOffset? FrozenAt,
    string? ClearedBy,
    string? ClearReason,
    DateTimeOffset? ClearedAt,
    string ETag);
