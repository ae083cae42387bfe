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
    /// <summary>How many times a sign-out re-reads a row that parallel requests keep changing before it gives up loudly.</summary>
    internal const int MaxEndAttempts = 32;

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
        if (await ReadAsync(table, id, cancellationToken).ConfigureAwait(false) is not { } entity)
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
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }
        catch (RequestFailedException e) when (e.Status == 412)
        {
            // Changed meanwhile: by a sign-out (then it is over) or by a parallel request's last-seen update (then it is
            // still this session, seen just now by that request).
            var current = await ReadAsync(table, id, cancellationToken).ConfigureAwait(false);
            return current is not null && FromEntity(current) is { } latest && latest.IsActive(now) ? latest : null;
        }

        return session with { LastSeen = now };
    }

    /// <summary>
    /// Signs out: marks the session ended (idempotent; an unknown or already ended secret is a no-op). A row changed
    /// meanwhile (a parallel request's last-seen update) is re-read and ended again, so a sign-out never silently fails.
    /// </summary>
    public async Task EndAsync(string secret, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrEmpty(secret))
        {
            return;
        }

        var table = await _table.Value.GetAsync(cancellationToken).ConfigureAwait(false);
        var id = SessionSecret.Id(secret);
        for (var attempt = 0; attempt < MaxEndAttempts; attempt++)
        {
            if (await ReadAsync(table, id, cancellationToken).ConfigureAwait(false) is not { } entity || entity.ContainsKey("Ended"))
            {
                return;
            }

            try
            {
                await table.UpdateEntityAsync(new TableEntity(entity.PartitionKey, entity.RowKey) { ["Ended"] = time.GetUtcNow() }, entity.ETag, TableUpdateMode.Merge, cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (RequestFailedException e) when (e.Status == 404)
            {
                return; // archived meanwhile: signed out either way
            }
            catch (RequestFailedException e) when (e.Status == 412)
            {
                // Changed meanwhile (a last-seen update, or a parallel sign-out): read it again.
            }
        }

        throw new InvalidOperationException($"Session {id[..8]}… kept changing; the sign-out did not complete after {MaxEndAttempts} attempts.");
    }

    private static async Task<TableEntity?> ReadAsync(TableClient table, string id, CancellationToken cancellationToken)
    {
        var row = await table.GetEntityIfExistsAsync<TableEntity>(Partition(id), id, cancellationToken: cancellationToken).ConfigureAwait(false);
        return row.HasValue ? row.Value : null;
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
