using System.Globalization;
using Azure;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Rtgf.Azure.Sessions;
using Rtgf.Core.Encryption;
using Rtgf.Pipeline.Operations;
using Rtgf.Pipeline.Sessions;

namespace Rtgf.Azure.Archives;

/// <summary>
/// <c>session-archiver</c> (docs/spec/archives.md#archiver): moves ended and expired sessions from table <c>sessions</c> to
/// <c>rtgf-archives/sessions/{yyyy}/{MM}/{dd}/{session id}.rtgfenc</c>, one encrypted archive per session, then deletes
/// each row with the ETag it was read with. The blob name is fixed by the session, the write is conditional
/// (<c>If-None-Match: *</c>) and the row goes only once its archive exists, so a re-run after a crash, or a second
/// instance at the same time, neither loses a session nor archives it twice.
/// </summary>
public sealed class SessionArchiver(
    Func<TableServiceClient> tables,
    Func<BlobServiceClient> blobs,
    IDataKeyWrapper wrapper,
    TimeProvider time,
    int maxSessionsPerRun = 5000,
    string prefix = "")
{
    public const string BlobPrefix = "sessions/";
    public const string Extension = ".rtgfenc";

    private readonly Lazy<CreatedOnFirstUse<TableClient>> _table = new(() => CreatedOnFirstUse.Table(tables(), prefix + OperationsStorage.SessionsTable), LazyThreadSafetyMode.PublicationOnly);
    private readonly Lazy<CreatedOnFirstUse<BlobContainerClient>> _container = new(() => CreatedOnFirstUse.Container(blobs().GetBlobContainerClient(prefix + OperationsStorage.ArchivesContainer)), LazyThreadSafetyMode.PublicationOnly);

    /// <summary>Test seam: runs after a session's archive is written and before its row is deleted (the crash point).</summary>
    internal Func<Session, Task>? AfterWrite { get; init; }

    public async Task<SessionArchiveSummary> RunAsync(CancellationToken cancellationToken = default)
    {
        var table = await _table.Value.GetAsync(cancellationToken).ConfigureAwait(false);
        var container = await _container.Value.GetAsync(cancellationToken).ConfigureAwait(false);
        var now = time.GetUtcNow();
        var filter = TableClient.CreateQueryFilter($"Expires le {now} or Ended le {now}");
        int archived = 0, already = 0, changed = 0, seen = 0;
        var more = false;
        await foreach (var entity in table.QueryAsync<TableEntity>(filter, maxPerPage: 500, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            if (seen == maxSessionsPerRun)
            {
                more = true;
                break;
            }

            seen++;
            var session = TableSessionStore.FromEntity(entity);
            if (await WriteAsync(container, session, now, cancellationToken).ConfigureAwait(false))
            {
                archived++;
            }
            else
            {
                already++;
            }

            if (AfterWrite is { } hook)
            {
                await hook(session).ConfigureAwait(false);
            }

            try
            {
                await table.DeleteEntityAsync(entity.PartitionKey, entity.RowKey, entity.ETag, cancellationToken).ConfigureAwait(false);
            }
            catch (RequestFailedException e) when (e.Status == 404)
            {
                // Another instance deleted it after archiving it.
            }
            catch (RequestFailedException e) when (e.Status == 412)
            {
                // Changed since it was read (signed out after expiring): the next run deletes the new version.
                changed++;
            }
        }

        return new SessionArchiveSummary(archived, already, changed, more);
    }

    /// <summary>The archive's name: fixed by the session (the day it ended, its id), so every run names it the same.</summary>
    public static string BlobName(Session session)
    {
        ArgumentNullException.ThrowIfNull(session);
        var day = session.Over.UtcDateTime;
        return string.Create(CultureInfo.InvariantCulture, $"{BlobPrefix}{day:yyyy}/{day:MM}/{day:dd}/{session.Id}{Extension}");
    }

    /// <summary>The archive of one session: plaintext a JSON array of sessions (one here); metadata authenticated, never the subject.</summary>
    public static Task<byte[]> SealAsync(IReadOnlyList<Session> sessions, DateTimeOffset archivedAt, IDataKeyWrapper wrapper, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sessions);
        using var buffer = new MemoryStream();
        buffer.WriteByte((byte)'[');
        for (var i = 0; i < sessions.Count; i++)
        {
            if (i > 0)
            {
                buffer.WriteByte((byte)',');
            }

            buffer.Write(sessions[i].ToJson());
        }

        buffer.WriteByte((byte)']');
        var metadata = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["archived-at"] = Session.Time(archivedAt),
            ["count"] = sessions.Count.ToString(CultureInfo.InvariantCulture),
            ["type"] = "sessions",
        };
        if (sessions.Count == 1)
        {
            var session = sessions[0];
            metadata["session-id"] = session.Id;
            metadata["kind"] = session.Kind;
            metadata["created"] = Session.Time(session.Created);
            metadata["ended"] = Session.Time(session.Over);
        }

        return ArchiveEnvelope.SealAsync(buffer.ToArray(), metadata, wrapper, cancellationToken);
    }

    private async Task<bool> WriteAsync(BlobContainerClient container, Session session, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var blob = container.GetBlobClient(BlobName(session));
        var archive = await SealAsync([session], now, wrapper, cancellationToken).ConfigureAwait(false);
        try
        {
            await blob.UploadAsync(
                BinaryData.FromBytes(archive),
                new BlobUploadOptions { Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All }, HttpHeaders = new BlobHttpHeaders { ContentType = "application/octet-stream" } },
                cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            return false; // archived before (a crashed run, or the other instance): the row can go
        }
    }
}

/// <summary>One archiver run: new archives, sessions whose archive already existed, rows changed under it, and whether the run stopped at its cap.</summary>
public sealed record SessionArchiveSummary(int Archived, int AlreadyArchived, int Changed, bool More)
{
    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture,
        $"session-archiver: archived {Archived} session(s), {AlreadyArchived} already archived, {Changed} changed meanwhile{(More ? ", more to do" : string.Empty)}");
}
