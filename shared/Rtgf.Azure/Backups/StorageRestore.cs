using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Rtgf.Core.Encryption;

namespace Rtgf.Azure.Backups;

/// <summary>
/// Rebuilds a deployment's storage from a backup (<c>rtgf backup restore</c>; docs/runbooks/disaster-recovery.md). First
/// <see cref="VerifyAsync"/> reads every part the manifest names and checks its SHA-256, its authentication under the
/// archive key, each table part's row count and each blob's SHA-256 — nothing is written until all of it passes. Then
/// <see cref="RestoreAsync"/> writes every row (upsert) and every blob (overwrite), so a restore that stops half-way is
/// completed by running it again.
/// </summary>
public sealed class StorageRestore(BlobContainerClient backups, IDataKeyWrapper wrapper)
{
    /// <summary>A transaction's rows are capped well under the service's 4 MiB body (the JSON line is close to the wire size).</summary>
    private const int MaxTransactionBytes = 2 * 1024 * 1024;

    /// <summary>Reads the manifest and checks every part; throws <see cref="BackupFormatException"/> naming the first bad one.</summary>
    public async Task<BackupManifest> VerifyAsync(string id, CancellationToken cancellationToken = default)
    {
        var manifest = await BackupCatalog.ReadManifestAsync(backups, id, wrapper, cancellationToken).ConfigureAwait(false);
        foreach (var table in manifest.Tables)
        {
            var rows = 0L;
            foreach (var part in table.Parts)
            {
                // Every row is parsed here, so a row the restore could not write stops it before anything is written.
                var lines = 0L;
                foreach (var line in Lines(await OpenPartAsync(part, cancellationToken).ConfigureAwait(false)))
                {
                    _ = ReadRow(line, table.Name);
                    lines++;
                }

                if (lines != part.Rows)
                {
                    throw new BackupFormatException(string.Create(CultureInfo.InvariantCulture, $"Part {part.Path} of table {table.Name} holds {lines} rows, the manifest says {part.Rows}."));
                }

                rows += lines;
            }

            if (rows != table.Rows)
            {
                throw new BackupFormatException(string.Create(CultureInfo.InvariantCulture, $"Table {table.Name} has {rows} rows in its parts, the manifest says {table.Rows}."));
            }
        }

        var parts = manifest.BlobParts.ToDictionary(p => p.Path, StringComparer.Ordinal);
        foreach (var group in manifest.Blobs.GroupBy(b => b.Part, StringComparer.Ordinal))
        {
            var part = parts.TryGetValue(group.Key, out var listed) ? listed : throw new BackupFormatException($"Blob pack {group.Key} is not listed in the manifest.");
            var pack = await OpenPartAsync(part, cancellationToken).ConfigureAwait(false);
            foreach (var blob in group)
            {
                _ = Slice(pack, blob);
            }
        }

        if (manifest.Checkpoint is { } checkpoint
            && !manifest.Blobs.Any(b => b.Container == checkpoint.Container && b.Name == checkpoint.Blob && b.Sha256 == checkpoint.Sha256))
        {
            throw new BackupFormatException("The manifest's checkpoint is not among its blobs.");
        }

        return manifest;
    }

    /// <summary>Whether the target holds any table or container a restore would write (the backups container aside).</summary>
    public static async Task<IReadOnlyList<string>> OccupiedAsync(TableServiceClient tables, BlobServiceClient blobs, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tables);
        ArgumentNullException.ThrowIfNull(blobs);
        var found = new List<string>();
        await foreach (var table in tables.QueryAsync(cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            if (!StorageBackup.IsExcludedTable(table.Name))
            {
                found.Add("table " + table.Name);
            }
        }

        await foreach (var container in blobs.GetBlobContainersAsync(cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            if (!StorageBackup.IsExcludedContainer(container.Name))
            {
                found.Add("container " + container.Name);
            }
        }

        return found;
    }

    /// <summary>Writes a verified backup into the target: every table's rows, then every blob, the log's checkpoint last.</summary>
    public async Task<RestoreOutcome> RestoreAsync(BackupManifest manifest, TableServiceClient tables, BlobServiceClient blobs, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        ArgumentNullException.ThrowIfNull(tables);
        ArgumentNullException.ThrowIfNull(blobs);
        await EnsureLogNotNewerAsync(manifest, blobs, cancellationToken).ConfigureAwait(false);
        var rows = 0L;
        foreach (var table in manifest.Tables)
        {
            var client = tables.GetTableClient(table.Name);
            await client.CreateIfNotExistsAsync(cancellationToken).ConfigureAwait(false);
            foreach (var part in table.Parts)
            {
                var plaintext = await OpenPartAsync(part, cancellationToken).ConfigureAwait(false);
                rows += await WriteRowsAsync(client, plaintext, cancellationToken).ConfigureAwait(false);
            }
        }

        // The checkpoint goes last: until it is written, the restored log's tiles are leftovers nothing points at.
        var ordered = manifest.Blobs
            .OrderBy(b => manifest.Checkpoint is { } c && b.Container == c.Container && b.Name == c.Blob)
            .ThenBy(b => b.Part, StringComparer.Ordinal)
            .ToList();
        var parts = manifest.BlobParts.ToDictionary(p => p.Path, StringComparer.Ordinal);
        var containers = new HashSet<string>(StringComparer.Ordinal);
        foreach (var name in manifest.Containers)
        {
            await blobs.GetBlobContainerClient(name).CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            containers.Add(name);
        }

        string? openPath = null;
        byte[] pack = [];
        foreach (var blob in ordered)
        {
            if (blob.Part != openPath)
            {
                pack = await OpenPartAsync(parts[blob.Part], cancellationToken).ConfigureAwait(false);
                openPath = blob.Part;
            }

            var container = blobs.GetBlobContainerClient(blob.Container);
            if (containers.Add(blob.Container))
            {
                await container.CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            }

            await container.GetBlobClient(blob.Name).UploadAsync(
                BinaryData.FromBytes(Slice(pack, blob)),
                new BlobUploadOptions { HttpHeaders = new BlobHttpHeaders { ContentType = blob.ContentType, CacheControl = blob.CacheControl } },
                cancellationToken).ConfigureAwait(false);
        }

        return new RestoreOutcome(manifest.Id, manifest.Tables.Count, rows, ordered.Count);
    }

    /// <summary>
    /// Refuses, before anything is written and whatever --force says, a target whose log checkpoint is not the backup's:
    /// only no checkpoint (a wiped account) or the very same bytes (a restore that stopped after its last write) may be
    /// restored over; any other checkpoint is a log the restore would roll back under consumers who have seen it.
    /// </summary>
    public static async Task EnsureLogNotNewerAsync(BackupManifest manifest, BlobServiceClient blobs, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        ArgumentNullException.ThrowIfNull(blobs);
        if (manifest.Checkpoint is not { } checkpoint)
        {
            return;
        }

        byte[] current;
        try
        {
            current = (await blobs.GetBlobContainerClient(checkpoint.Container).GetBlobClient(checkpoint.Blob).DownloadContentAsync(cancellationToken).ConfigureAwait(false)).Value.Content.ToArray();
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return;
        }

        if (!string.Equals(Convert.ToHexStringLower(SHA256.HashData(current)), checkpoint.Sha256, StringComparison.Ordinal))
        {
            throw new InvalidOperationException(
                $"The target's log checkpoint {checkpoint.Container}/{checkpoint.Blob} is not the backup's: restoring would roll its log back, so nothing was written (even with --force; see docs/runbooks/disaster-recovery.md).");
        }
    }

    private async Task<byte[]> OpenPartAsync(BackupPart part, CancellationToken cancellationToken)
    {
        byte[] bytes;
        try
        {
            bytes = (await backups.GetBlobClient(part.Path).DownloadContentAsync(cancellationToken).ConfigureAwait(false)).Value.Content.ToArray();
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            throw new BackupFormatException($"Part {part.Path} is missing from container {backups.Name}.", e);
        }

        if (!string.Equals(Convert.ToHexStringLower(SHA256.HashData(bytes)), part.Sha256, StringComparison.Ordinal))
        {
            throw new BackupFormatException($"Part {part.Path} does not match the SHA-256 the manifest records: it was changed.");
        }

        try
        {
            return (await ArchiveEnvelope.OpenAsync(bytes, wrapper, cancellationToken).ConfigureAwait(false)).Plaintext;
        }
        catch (ArchiveDecryptionException e)
        {
            throw new BackupFormatException($"Part {part.Path} cannot be opened: {e.Message}", e);
        }
    }

    private static byte[] Slice(byte[] pack, BackupBlob blob)
    {
        if (blob.Offset < 0 || blob.Length < 0 || blob.Offset + blob.Length > pack.LongLength)
        {
            throw new BackupFormatException($"Blob {blob.Container}/{blob.Name} lies outside its pack {blob.Part}.");
        }

        var bytes = pack.AsSpan((int)blob.Offset, (int)blob.Length).ToArray();
        if (!string.Equals(Convert.ToHexStringLower(SHA256.HashData(bytes)), blob.Sha256, StringComparison.Ordinal))
        {
            throw new BackupFormatException($"Blob {blob.Container}/{blob.Name} does not match its SHA-256 in pack {blob.Part}.");
        }

        return bytes;
    }

    private static IEnumerable<ReadOnlyMemory<byte>> Lines(byte[] plaintext)
    {
        var start = 0;
        for (var i = 0; i < plaintext.Length; i++)
        {
            if (plaintext[i] == (byte)'\n')
            {
                yield return plaintext.AsMemory(start, i - start);
                start = i + 1;
            }
        }
    }

    private static TableEntity ReadRow(ReadOnlyMemory<byte> line, string table)
    {
        try
        {
            using var document = JsonDocument.Parse(line);
            return TableRowCodec.Read(document.RootElement);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException or ArgumentException)
        {
            throw new BackupFormatException($"A row of table {table} cannot be read: {e.Message}", e);
        }
    }

    private static async Task<long> WriteRowsAsync(TableClient table, byte[] plaintext, CancellationToken cancellationToken)
    {
        var rows = 0L;
        var batch = new List<TableTransactionAction>();
        var batchBytes = 0;
        string? partition = null;
        foreach (var line in Lines(plaintext))
        {
            var entity = ReadRow(line, table.Name);
            if (batch.Count > 0 && (entity.PartitionKey != partition || batch.Count == 100 || batchBytes + line.Length > MaxTransactionBytes))
            {
                await table.SubmitTransactionAsync(batch, cancellationToken).ConfigureAwait(false);
                batch.Clear();
                batchBytes = 0;
            }

            partition = entity.PartitionKey;
            batch.Add(new TableTransactionAction(TableTransactionActionType.UpsertReplace, entity));
            batchBytes += line.Length;
            rows++;
        }

        if (batch.Count > 0)
        {
            await table.SubmitTransactionAsync(batch, cancellationToken).ConfigureAwait(false);
        }

        return rows;
    }
}

/// <summary>What a restore wrote: the backup, tables, rows and blobs.</summary>
public sealed record RestoreOutcome(string Id, int Tables, long Rows, int Blobs);
