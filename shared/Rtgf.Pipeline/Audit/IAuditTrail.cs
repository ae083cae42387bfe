namespace Rtgf.Pipeline.Audit;

/// <summary>
/// The append-only audit trail (docs/spec/operations.md#audit): operator actions, key changes, freezes, manual
/// revocations, webhook replays, archive and backup restores. Entries are never updated or deleted; appending the same
/// entry twice (same <see cref="AuditEntry.Id"/>, e.g. a retried request) stores it once.
/// </summary>
public interface IAuditTrail
{
    Task AppendAsync(AuditEntry entry, CancellationToken cancellationToken = default);
}

/// <summary>
/// One audit entry. <paramref name="Id"/> identifies the action (callers derive it from the request or message that
/// caused it, so a retry is the same entry); <paramref name="Details"/> never holds a secret (keys, tokens, links).
/// </summary>
public sealed record AuditEntry(
    string Id,
    DateTimeOffset At,
    string Actor,
    string Action,
    string Subject,
    IReadOnlyDictionary<string, string> Details);

/// <summary>The audit actions: one name per kind of action, as <c>/ops/audit?action=</c> filters them.</summary>
public static class AuditActions
{
    public const string ApiKeyCreated = "api-key.created";
    public const string ApiKeyRevoked = "api-key.revoked";
    public const string ApiKeyChanged = "api-key.changed";
    public const string FreezeSet = "freeze.set";
    public const string FreezeCleared = "freeze.cleared";
    public const string RevocationManual = "revocation.manual";
    public const string WebhookReplayed = "webhook.replayed";
    public const string ArchiveRestored = "archive.restored";
    public const string BackupRestored = "backup.restored";
    public const string CommsReplayed = "comms.replayed";
}
