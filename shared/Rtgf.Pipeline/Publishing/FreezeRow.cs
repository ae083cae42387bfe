namespace Rtgf.Pipeline.Publishing;

/// <summary>The freeze as stored; <see cref="PendingClearEntry"/> holds the operator-action entry of a clearing in flight.</summary>
internal sealed record FreezeRow(
    bool IsFrozen,
    string? BuildId,
    string? Reason,
    DateTimeOffset? FrozenAt,
    string? ClearedBy,
    string? ClearReason,
    DateTimeOffset? ClearedAt,
    string? PendingClearEntry,
    DateTimeOffset? PendingClearAt,
    string? PendingClearBy,
    string? PendingClearReason);
