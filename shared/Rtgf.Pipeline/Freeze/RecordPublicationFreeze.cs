using System.Globalization;
using Microsoft.Extensions.Options;
using Rtgf.Pipeline.Configuration;
using Rtgf.Pipeline.Keys;
using Rtgf.Pipeline.Publishing;
using Rtgf.Transparency.Integration;
using Rtgf.Transparency.Storage;

namespace Rtgf.Pipeline.Freeze;

/// <summary>
/// The freeze as one row moved by ETag compare-and-swap. Clearing first records the operator-action entry in the row, then
/// appends it to the log (journalled, so a retry does not log it twice), then clears: a clearing is never unlogged.
/// </summary>
public sealed class RecordPublicationFreeze : IPublicationFreeze
{
    private const string Key = "freeze";
    private const int MaxAttempts = 8;

    private readonly IRecordStore _records;
    private readonly ILogObjectStore _log;
    private readonly ILogWriterLock _logLock;
    private readonly IIssuerSigner _issuer;
    private readonly IssuerOptions _options;
    private readonly TimeProvider _time;

    public RecordPublicationFreeze(IRecordStore records, ILogObjectStore log, ILogWriterLock logLock, IIssuerSigner issuer, IOptions<IssuerOptions> options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        _records = records;
        _log = log;
        _logLock = logLock;
        _issuer = issuer;
        _options = options.Value;
        _time = time;
    }

    public async Task<FreezeState> GetAsync(CancellationToken cancellationToken = default)
    {
        var (row, etag) = await ReadAsync(cancellationToken).ConfigureAwait(false);
        return ToState(row, etag);
    }

    public async Task<FreezeState> FreezeAsync(string buildId, string reason, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(buildId);
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var (row, etag) = await ReadAsync(cancellationToken).ConfigureAwait(false);
            if (row.IsFrozen)
            {
                return ToState(row, etag); // the first reason stays
            }

            var frozen = row with { IsFrozen = true, BuildId = buildId, Reason = reason, FrozenAt = _time.GetUtcNow(), PendingClearEntry = null, PendingClearAt = null, PendingClearBy = null, PendingClearReason = null };
            if (await WriteAsync(frozen, etag, cancellationToken).ConfigureAwait(false))
            {
                return await GetAsync(cancellationToken).ConfigureAwait(false);
            }
        }

        throw new InvalidOperationException("The publication freeze kept changing; it was not set.");
    }

    public async Task<FreezeState> ClearAsync(string reason, string actor, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        ArgumentException.ThrowIfNullOrWhiteSpace(actor);
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var (row, etag) = await ReadAsync(cancellationToken).ConfigureAwait(false);
            if (!row.IsFrozen)
            {
                return ToState(row, etag);
            }

            if (row.PendingClearEntry is null)
            {
                var at = _time.GetUtcNow();
                var entry = LogEntries.OperatorAction(actor, "clear-publication-freeze", row.BuildId ?? "publication", reason, at);
                var pending = row with { PendingClearEntry = entry, PendingClearAt = at, PendingClearBy = actor, PendingClearReason = reason };
                if (!await WriteAsync(pending, etag, cancellationToken).ConfigureAwait(false))
                {
                    continue;
                }

                (row, etag) = (pending, (await _records.GetAsync(RecordTables.Freeze, Key, Key, cancellationToken).ConfigureAwait(false))!.ETag);
            }

            var issuer = await _issuer.GetAsync(cancellationToken).ConfigureAwait(false);
            var name = "clear-" + row.FrozenAt!.Value.UtcTicks.ToString(CultureInfo.InvariantCulture);
            await using (var appender = await LogAppender.OpenAsync(_records, _log, _logLock, issuer, _options.LogOrigin, cancellationToken).ConfigureAwait(false))
            {
                await appender.AppendOnceAsync(Key, name, [row.PendingClearEntry!], cancellationToken).ConfigureAwait(false);
            }

            var cleared = row with
            {
                IsFrozen = false, ClearedAt = row.PendingClearAt, ClearedBy = row.PendingClearBy, ClearReason = row.PendingClearReason,
                PendingClearEntry = null, PendingClearAt = null, PendingClearBy = null, PendingClearReason = null,
            };
            if (await WriteAsync(cleared, etag, cancellationToken).ConfigureAwait(false))
            {
                return await GetAsync(cancellationToken).ConfigureAwait(false);
            }
        }

        throw new InvalidOperationException("The publication freeze kept changing; it was not cleared.");
    }

    private async Task<(FreezeRow Row, string? ETag)> ReadAsync(CancellationToken cancellationToken)
    {
        var stored = await _records.GetAsync(RecordTables.Freeze, Key, Key, PublishingJson.Default.FreezeRow, cancellationToken).ConfigureAwait(false);
        return stored is { } s ? (s.Value, s.ETag) : (new FreezeRow(false, null, null, null, null, null, null, null, null, null, null), null);
    }

    private Task<bool> WriteAsync(FreezeRow row, string? etag, CancellationToken cancellationToken) => etag is null
        ? _records.TryCreateAsync(RecordTables.Freeze, Key, Key, row, PublishingJson.Default.FreezeRow, cancellationToken)
        : _records.TryReplaceAsync(RecordTables.Freeze, Key, Key, row, etag, PublishingJson.Default.FreezeRow, cancellationToken);

    private static FreezeState ToState(FreezeRow row, string? etag) =>
        new(row.IsFrozen, row.BuildId, row.Reason, row.FrozenAt, row.ClearedBy, row.ClearReason, row.ClearedAt, etag ?? string.Empty);
}
