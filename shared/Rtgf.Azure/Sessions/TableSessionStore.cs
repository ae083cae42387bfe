using Azure;
using Azure.Data.Tables;
using Rtgf.Pipeline.Operations;
using Rtgf.Pipeline.Sessions;

namespace Rtgf.Azure.Sessions;

/// <summary>
/// Sessions in table <c>sessions</c> (docs/spec/archives.md#sessions). PartitionKey: the first two hex digits of the
/// session id (256 partitions); RowKey: the id, the SHA-256 of the secret only the client holds, so a leaked table signs
/// nobody in. Ended and expired rows stay until <c>session-archiver</c> moves them to <c>rtgf-archives</c>.
/// </summary>
public sealed class TableSessionStore(Func<TableServiceClient> service, TimeProvider time, string prefix = "")
{
    private readonly Lazy<CreatedOnFirstUse<TableClient>> _table = new(() => CreatedOnFirstUse.Table(service(), prefix + OperationsStorage.SessionsTable), LazyThreadSafetyMode.PublicationOnly);

    /// <summary>Starts a session for <paramref name="subject"/>; returns the secret (give it to the client once) and the session.</summary>
    public async Task<(string Secret, Session Session)> StartAsync(string subject, string kind, TimeSpan lifetime, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(subject);
        if (!SessionKinds.IsKnown(kind))
        {
            throw new ArgumentException($"Unknown session kind '{kind}' (magic-link or api-key-owner).", nameof(kind));
        }

        if (lifetime <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(lifetime), lifetime, "A session lives for a positive time.");
        }

        var table = await _table.Value.GetAsync(cancellationToken).ConfigureAwait(false);
        var secret = SessionSecret.New();
        var now = time.GetUtcNow();
        var session = new Session(SessionSecret.Id(secret), subject, kind, now, now, now + lifetime, null);
        await table.AddEntityAsync(ToEntity(session), cancellationToken).ConfigureAwait(false);
        return (secret, session);
    }

    /// <summary>The active session <paramref name="secret"/> opens (its last-seen time moved to now), or null.</summary>
    public async Task<Session?> ResumeAsync(string secret, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrEmpty(secret))
        {
            return null;
        }

        var table = await _table.Value.GetAsync(cancellationToken).ConfigureAwait(false);
        var id = SessionSecret.Id(secret);
        var row = await table.GetEntityIfExistsAsync<TableEntity>(Partition(id), id, cancellationToken: cancellationToken).ConfigureAwait(false);
        if (!row.HasValue || row.Value is not { } entity)
        {
            return null;
        }

        var now = time.GetUtcNow();
        var session = FromEntity(entity);
        if (!session.IsActive(now))
        {
            return null;
        }

        try
        {
            // Conditional: a concurrent sign-out is never overwritten by a last-seen update.
            await table.UpdateEntityAsync(new TableEntity(entity.PartitionKey, entity.RowKey) { ["LastSeen"] = now }, entity.ETag, TableUpdateMode.Merge, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException e) when (e.Status is 404 or 412)
        {
            return null;
        }

        return session with { LastSeen = now };
    }

    /// <summary>Signs out: marks the session ended (idempotent; an unknown or already ended secret is a no-op).</summary>
    public async Task EndAsync(string secret, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrEmpty(secret))
        {
            return;
        }

        var table = await _table.Value.GetAsync(cancellationToken).ConfigureAwait(false);
        var id = SessionSecret.Id(secret);
        var row = await table.GetEntityIfExistsAsync<TableEntity>(Partition(id), id, cancellationToken: cancellationToken).ConfigureAwait(false);
        if (!row.HasValue || row.Value is not { } entity || entity.ContainsKey("Ended"))
        {
            return;
        }

        try
        {
            await table.UpdateEntityAsync(new TableEntity(entity.PartitionKey, entity.RowKey) { ["Ended"] = time.GetUtcNow() }, entity.ETag, TableUpdateMode.Merge, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException e) when (e.Status is 404 or 412)
        {
            // Archived or changed meanwhile: signed out either way, or by the concurrent writer.
        }
    }

    internal static string Partition(string id) => id[..2];

    internal static TableEntity ToEntity(Session session)
    {
        var entity = new TableEntity(Partition(session.Id), session.Id)
        {
            ["Subject"] = session.Subject,
            ["Kind"] = session.Kind,
            ["Created"] = session.Created,
            ["LastSeen"] = session.LastSeen,
            ["Expires"] = session.Expires,
        };
        if (session.Ended is { } ended)
        {
            entity["Ended"] = ended;
        }

        return entity;
    }

    internal static Session FromEntity(TableEntity entity) => new(
        entity.RowKey,
        entity.GetString("Subject") ?? string.Empty,
        entity.GetString("Kind") ?? string.Empty,
        entity.GetDateTimeOffset("Created") ?? default,
        entity.GetDateTimeOffset("LastSeen") ?? default,
        entity.GetDateTimeOffset("Expires") ?? default,
        entity.GetDateTimeOffset("Ended"));
}
