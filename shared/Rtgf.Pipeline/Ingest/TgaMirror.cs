using System.Buffers;
using System.Text;
using System.Text.Json;
using Rtgf.Core.Encoding;
using Rtgf.Ingestion.Records;
using Rtgf.Ingestion.Tga;
using Rtgf.Pipeline.Storage;

namespace Rtgf.Pipeline.Ingest;

/// <summary>
/// The TGA NRT mirror (tables tgacomponents, tgareleases, tgaorganisations, tgascope). A row is replaced only when the
/// incoming upstream modified time is newer, or equal with different content; older versions are ignored. So
/// re-delivered, duplicate and out-of-order batches change nothing. Writes are conditional on the ETag read (a
/// concurrent writer makes the decision run again on the fresh row).
/// </summary>
public sealed class TgaMirror(IRecordTables tables)
{
    /// <summary>
    /// A parent row (component, organisation) is keyed by its code twice: partition and row. Azurite finds a row by its
    /// row key's index first, so a row key shared by every row ("component") made each point read a scan of the table and
    /// a national sync quadratic; Azure does not care either way.
    /// </summary>
    public static string ParentRowKey(string code) => code;
    private const int ChunkSize = 100;
    private const int MaxAttempts = 16;

    public IRecordTable Components { get; } = tables.Open(IngestTables.TgaComponents);

    public IRecordTable Releases { get; } = tables.Open(IngestTables.TgaReleases);

    public IRecordTable Organisations { get; } = tables.Open(IngestTables.TgaOrganisations);

    /// <summary>
    /// An organisation's scope, <see cref="ScopeChunkSize"/> records per row (row key <c>&lt;code&gt;~NNNN</c>): upstream
    /// always sends a whole scope, so it is written and read as one. A national mirror holds 4,000 scope partitions, not
    /// 500,000 rows, which cuts Table transactions (and the sync time against Azurite) by two orders of magnitude.
    /// </summary>
    public IRecordTable Scope { get; } = tables.Open(IngestTables.TgaScope);

    /// <summary>Scope records per row: about 200 KiB of JSON, well inside an entity's 1 MiB.</summary>
    public const int ScopeChunkSize = 1000;

    /// <summary>Applies a component's details; returns the rows changed (component and releases).</summary>
    public async Task<long> ApplyComponentAsync(TrainingComponentRecord component, DateTimeOffset fallbackModified, string runId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(component);
        var modified = component.UpdatedDate ?? fallbackModified;
        var row = RecordRows.From(component, component.Code, ParentRowKey(component.Code), modified, runId);
        var stored = await Components.GetAsync(row.PartitionKey, row.RowKey, cancellationToken).ConfigureAwait(false);
        var isNew = stored is null;
        var releases = component.Releases
            .Select(r => ReleaseRow(component.Code, r, modified, runId))
            .DistinctBy(r => r.RowKey, StringComparer.Ordinal)
            .ToList();
        var partition = TableKeys.Escape(component.Code);
        if (!await ApplyRowAsync(Components, row, readFirst: false, stored, cancellationToken).ConfigureAwait(false))
        {
            // The same content already stored by this very run is a redelivery after a failure between the component row and
            // its releases (a crash, a throttled transaction): finish the releases rather than trust them.
            return stored is { Row: var same } && same.RunId == runId && same.Digest == row.Digest
                ? await SyncPartitionAsync(Releases, partition, releases, cancellationToken).ConfigureAwait(false)
                : 0;
        }

        if (isNew && await TryInsertPartitionAsync(Releases, partition, releases, cancellationToken).ConfigureAwait(false))
        {
            return 1 + releases.Count;
        }

        return 1 + await SyncPartitionAsync(Releases, partition, releases, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Applies an organisation's details (the RTO row and its whole scope); returns the rows changed.</summary>
    public async Task<long> ApplyOrganisationAsync(OrganisationDetails details, DateTimeOffset fallbackModified, string runId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(details);
        var code = details.Rto.Code;
        var modified = details.Rto.UpdatedDate ?? fallbackModified;
        var row = RecordRows.From(details.Rto, code, ParentRowKey(code), modified, runId);
        var existing = await Organisations.GetAsync(row.PartitionKey, row.RowKey, cancellationToken).ConfigureAwait(false);
        if (existing is { } stored && modified < stored.Row.Modified)
        {
            return 0; // an older version of the organisation: its scope is older too
        }

        long changed = await ApplyRowAsync(Organisations, row, readFirst: false, existing, cancellationToken).ConfigureAwait(false) ? 1 : 0;

        // One record per component code: where upstream lists a code twice, the latest period wins.
        var scope = details.Scopes
            .OrderBy(s => s.ComponentCode, StringComparer.Ordinal)
            .ThenBy(s => s.StartDate)
            .GroupBy(s => s.ComponentCode, StringComparer.Ordinal)
            .Select(g => RecordRows.From(g.Last(), code, g.Key, modified, runId))
            .ToList();
        var chunks = ScopeChunks(code, scope, modified, runId);
        if (existing is null && await TryInsertPartitionAsync(Scope, row.PartitionKey, chunks, cancellationToken).ConfigureAwait(false))
        {
            return changed + scope.Count;
        }

        // Changes are counted per scope record (what a reader of the run cares about), then the chunks are reconciled.
        var chunksBefore = await Scope.GetPartitionAsync(row.PartitionKey, cancellationToken).ConfigureAwait(false);
        var before = ScopeRecordsOf(chunksBefore);
        var scopeChanges = scope.Count(r => !before.TryGetValue(r.RecordKey, out var json) || json != r.Json)
            + before.Keys.Count(k => !scope.Exists(r => r.RecordKey == k));
        if (scopeChanges > 0)
        {
            await SyncPartitionAsync(Scope, row.PartitionKey, chunks, chunksBefore, cancellationToken).ConfigureAwait(false);
        }

        return changed + scopeChanges;
    }

    /// <summary>A component deleted upstream: its row becomes a tombstone (if the deletion is not older than the row).</summary>
    public async Task<long> DeleteComponentAsync(string code, DateTimeOffset? deletedAt, DateTimeOffset fallbackModified, string runId, CancellationToken cancellationToken = default)
    {
        var tombstone = new TombstoneRecord("component:" + code, "deleteComponent", deletedAt);
        return await ApplyRowAsync(Components, RecordRows.From(tombstone, code, ParentRowKey(code), deletedAt ?? fallbackModified, runId, deleted: true), cancellationToken).ConfigureAwait(false) ? 1 : 0;
    }

    /// <summary>An organisation deleted upstream: its row becomes a tombstone and its scope rows go.</summary>
    public async Task<long> DeleteOrganisationAsync(string code, DateTimeOffset? deletedAt, DateTimeOffset fallbackModified, string runId, CancellationToken cancellationToken = default)
    {
        var tombstone = new TombstoneRecord("rto:" + code, "deleteOrganisation", deletedAt);
        var row = RecordRows.From(tombstone, code, ParentRowKey(code), deletedAt ?? fallbackModified, runId, deleted: true);
        if (!await ApplyRowAsync(Organisations, row, cancellationToken).ConfigureAwait(false))
        {
            return 0;
        }

        var stored = await Scope.GetPartitionAsync(row.PartitionKey, cancellationToken).ConfigureAwait(false);
        var removed = ScopeRecordsOf(stored).Count;
        await SyncPartitionAsync(Scope, row.PartitionKey, [], stored, cancellationToken).ConfigureAwait(false);
        return 1 + removed;
    }

    /// <summary>The scope records of one organisation (escaped code): record key → canonical JSON.</summary>
    public async Task<Dictionary<string, string>> ReadScopeAsync(string partitionKey, CancellationToken cancellationToken = default) =>
        ScopeRecordsOf(await Scope.GetPartitionAsync(partitionKey, cancellationToken).ConfigureAwait(false));

    private static Dictionary<string, string> ScopeRecordsOf(IReadOnlyList<StoredRow> chunks)
    {
        var records = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var chunk in chunks)
        {
            foreach (var (key, json) in ScopeRecordsOf(chunk.Row))
            {
                records[key] = json;
            }
        }

        return records;
    }

    /// <summary>The scope records a chunk row holds, in order: (record key, canonical JSON).</summary>
    public static IEnumerable<(string Key, string Json)> ScopeRecordsOf(MirrorRow chunk)
    {
        ArgumentNullException.ThrowIfNull(chunk);
        using var document = JsonDocument.Parse(chunk.Json);
        var keys = document.RootElement.GetProperty("keys");
        var records = document.RootElement.GetProperty("records");
        if (keys.GetArrayLength() != records.GetArrayLength())
        {
            throw new InvalidDataException($"Scope row {chunk.PartitionKey}/{chunk.RowKey} has {keys.GetArrayLength()} keys for {records.GetArrayLength()} records.");
        }

        var result = new List<(string, string)>(keys.GetArrayLength());
        for (var i = 0; i < keys.GetArrayLength(); i++)
        {
            result.Add((keys[i].GetString()!, records[i].GetRawText()));
        }

        return result;
    }

    /// <summary>
    /// Rows per entity-group transaction: 100 (the service's limit), but few scope rows, since a transaction's body may
    /// not pass 4 MiB and a scope row holds up to <see cref="ScopeChunkSize"/> records.
    /// </summary>
    private int RowsPerTransaction(IRecordTable table) => ReferenceEquals(table, Scope) ? 8 : ChunkSize;

    /// <summary>Packs scope records (already canonical, in key order) into rows of <see cref="ScopeChunkSize"/>.</summary>
    private static List<MirrorRow> ScopeChunks(string code, List<MirrorRow> scope, DateTimeOffset modified, string runId)
    {
        var chunks = new List<MirrorRow>();
        for (var start = 0; start < scope.Count; start += ScopeChunkSize)
        {
            var part = scope.Skip(start).Take(ScopeChunkSize).ToList();
            var buffer = new ArrayBufferWriter<byte>();
            using (var writer = new Utf8JsonWriter(buffer))
            {
                writer.WriteStartObject();
                writer.WriteStartArray("keys");
                foreach (var record in part)
                {
                    writer.WriteStringValue(record.RecordKey);
                }

                writer.WriteEndArray();
                writer.WriteStartArray("records");
                foreach (var record in part)
                {
                    writer.WriteRawValue(record.Json, skipInputValidation: true);
                }

                writer.WriteEndArray();
                writer.WriteEndObject();
            }

            var canonical = CanonicalJson.Canonicalize(buffer.WrittenSpan);
            var number = (start / ScopeChunkSize).ToString("D4", System.Globalization.CultureInfo.InvariantCulture);
            chunks.Add(new MirrorRow(
                TableKeys.Escape(code), TableKeys.Escape(code + "~" + number), $"scope:{code}#{number}",
                Encoding.UTF8.GetString(canonical), RecordRows.DigestOf(canonical), modified, false, runId));
        }

        return chunks;
    }

    /// <summary>Every mirrored record (components, organisations, scope; tombstones included) for the snapshot.</summary>
    public async IAsyncEnumerable<ISnapshotRecord> ReadRecordsAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        foreach (var table in new[] { Components, Organisations })
        {
            await foreach (var row in table.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                yield return new StoredRecord(row.RecordKey, row.Json);
            }
        }

        await foreach (var chunk in Scope.ReadAllAsync(cancellationToken).ConfigureAwait(false))
        {
            foreach (var (key, json) in ScopeRecordsOf(chunk))
            {
                yield return new StoredRecord(key, json);
            }
        }
    }

    /// <summary>The newer-or-equal-with-different-content rule, with a compare-and-swap; true when the content changed.</summary>
    internal static Task<bool> ApplyRowAsync(IRecordTable table, MirrorRow row, CancellationToken cancellationToken) =>
        ApplyRowAsync(table, row, readFirst: true, null, cancellationToken);

    /// <summary>As above, starting from <paramref name="read"/>, the row as the caller just read it (null: absent).</summary>
    private static async Task<bool> ApplyRowAsync(IRecordTable table, MirrorRow row, bool readFirst, StoredRow? read, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            // Later attempts follow a lost compare-and-swap, so they read the row again.
            var existing = attempt == 0 && !readFirst ? read : await table.GetAsync(row.PartitionKey, row.RowKey, cancellationToken).ConfigureAwait(false);
            if (existing is null)
            {
                if (await table.TryWriteAsync(row, null, cancellationToken).ConfigureAwait(false))
                {
                    return true;
                }

                continue;
            }

            var stored = existing.Row;
            if (row.Modified < stored.Modified || (row.Modified == stored.Modified && row.Digest == stored.Digest))
            {
                return false;
            }

            // Same content with a newer stamp is written too (so a later, older version cannot win) but is no change.
            var contentChanged = row.Digest != stored.Digest || row.Deleted != stored.Deleted;
            if (await table.TryWriteAsync(row, existing.ETag, cancellationToken).ConfigureAwait(false))
            {
                return contentChanged;
            }
        }

        throw new InvalidOperationException($"{table.Name} {row.PartitionKey}/{row.RowKey}: the row kept changing; gave up after {MaxAttempts} attempts.");
    }

    /// <summary>
    /// A parent row seen for the first time has no children yet (parents are written before their children), so its
    /// partition is inserted without reading it first: a partition query is a scan in Azurite and costs a round trip in
    /// Azure. False when an insert met an existing row (a concurrent duplicate); the caller then reconciles the partition.
    /// </summary>
    private async Task<bool> TryInsertPartitionAsync(IRecordTable table, string partitionKey, IReadOnlyList<MirrorRow> rows, CancellationToken cancellationToken)
    {
        foreach (var chunk in rows.Select(RowChange.Insert).Chunk(RowsPerTransaction(table)))
        {
            if (!await table.TrySubmitAsync(partitionKey, chunk, cancellationToken).ConfigureAwait(false))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Makes a partition hold exactly <paramref name="desired"/> (insert new, replace changed, delete extra).</summary>
    private Task<long> SyncPartitionAsync(IRecordTable table, string partitionKey, IReadOnlyList<MirrorRow> desired, CancellationToken cancellationToken) =>
        SyncPartitionAsync(table, partitionKey, desired, null, cancellationToken);

    /// <summary>As above, starting from <paramref name="read"/>, the partition as the caller just read it.</summary>
    private async Task<long> SyncPartitionAsync(IRecordTable table, string partitionKey, IReadOnlyList<MirrorRow> desired, IReadOnlyList<StoredRow>? read, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            // Later attempts follow a refused transaction, so they read the partition again.
            var current = (attempt == 0 && read is not null ? read : await table.GetPartitionAsync(partitionKey, cancellationToken).ConfigureAwait(false))
                .ToDictionary(r => r.Row.RowKey, StringComparer.Ordinal);
            var changes = new List<RowChange>();
            foreach (var row in desired)
            {
                if (!current.Remove(row.RowKey, out var stored))
                {
                    changes.Add(RowChange.Insert(row));
                }
                else if (stored.Row.Digest != row.Digest)
                {
                    changes.Add(RowChange.Replace(row, stored.ETag));
                }
            }

            changes.AddRange(current.Values.OrderBy(r => r.Row.RowKey, StringComparer.Ordinal).Select(r => RowChange.Delete(r.Row.RowKey, r.ETag)));
            var ok = true;
            foreach (var chunk in changes.Chunk(RowsPerTransaction(table)))
            {
                if (!await table.TrySubmitAsync(partitionKey, chunk, cancellationToken).ConfigureAwait(false))
                {
                    ok = false;
                    break;
                }
            }

            if (ok)
            {
                return changes.Count;
            }
        }

        throw new InvalidOperationException($"{table.Name} {partitionKey}: the partition kept changing; gave up after {MaxAttempts} attempts.");
    }

    private static MirrorRow ReleaseRow(string componentCode, ReleaseRecord release, DateTimeOffset modified, string runId)
    {
        // ReleaseRecord writes itself only inside a component; the release table gets the same members.
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("componentCode", componentCode);
            writer.WriteString("currency", release.Currency);
            if (release.ReleaseDate is { } date)
            {
                writer.WriteString("releaseDate", date.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
            }
            else
            {
                writer.WriteNull("releaseDate");
            }

            writer.WriteString("releaseNumber", release.ReleaseNumber);
            writer.WriteStartArray("unitCodes");
            foreach (var unit in release.UnitCodes)
            {
                writer.WriteStringValue(unit);
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        var canonical = CanonicalJson.Canonicalize(buffer.WrittenSpan);
        return new MirrorRow(
            TableKeys.Escape(componentCode), TableKeys.Escape(componentCode + "~" + release.ReleaseNumber), $"release:{componentCode}:{release.ReleaseNumber}",
            Encoding.UTF8.GetString(canonical), RecordRows.DigestOf(canonical), modified, false, runId);
    }
}
