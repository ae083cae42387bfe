using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Rtgf.Azure.Blobs;
using Rtgf.Core.Encryption;
using Rtgf.Transparency.Checkpoints;

namespace Rtgf.Azure.Backups;

/// <summary>
/// The daily backup (<c>backup</c>; docs/spec/backups.md): reads the log's checkpoint first, then exports every table to
/// sealed parts (JSON lines) and copies every blob the deployment holds into sealed blob packs — content-addressed and
/// copy-once: a blob whose ETag or content an earlier backup already holds is referenced there, not copied again — and
/// writes the sealed manifest last, create-only. A day's backup is made once: a run that finds the day's manifest does
/// nothing; two runs at once both write parts (named by their hash, so never the same name with other bytes) and the
/// first manifest wins; a run that crashes leaves parts no manifest names, and the next run makes the day whole.
/// </summary>
public sealed class StorageBackup
{
    /// <summary>A table part or blob pack is sealed once its plaintext passes this size.</summary>
    public const int DefaultPartBytes = 4 * 1024 * 1024;

    public const string ManifestName = "manifest";
    public const string CheckpointBlob = "checkpoint";

    private readonly TableServiceClient _tables;
    private readonly BlobServiceClient _blobs;
    private readonly BlobContainerClient _backups;
    private readonly IDataKeyWrapper _wrapper;
    private readonly TimeProvider _time;
    private readonly string _logContainer;
    private readonly int _partBytes;

    /// <param name="tables">The deployment's tables.</param>
    /// <param name="blobs">The deployment's blobs.</param>
    /// <param name="backups">Where backups go (<c>rtgf-backups</c>; in Azure another account, see the runbook).</param>
    /// <param name="wrapper">Wraps each part's data key (the archive key).</param>
    /// <param name="time">The clock that names the day.</param>
    /// <param name="logContainer">The transparency log's container; its <c>checkpoint</c> is the consistency point.</param>
    /// <param name="partBytes">Part size (tests make it small to get several parts).</param>
    public StorageBackup(TableServiceClient tables, BlobServiceClient blobs, BlobContainerClient backups, IDataKeyWrapper wrapper, TimeProvider time, string logContainer, int partBytes = DefaultPartBytes)
    {
        _tables = tables;
        _blobs = blobs;
        _backups = backups;
        _wrapper = wrapper;
        _time = time;
        _logContainer = logContainer;
        _partBytes = partBytes;
    }

    /// <summary>The backup's id for a moment: its UTC date.</summary>
    public static string IdFor(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>Tables left out: the raw traffic log (pruned after days; its daily aggregate is kept) and the Functions host's own.</summary>
    public static bool IsExcludedTable(string name) =>
        string.Equals(name, Rtgf.Pipeline.Operations.OperationsStorage.TrafficTable, StringComparison.OrdinalIgnoreCase)
        || name.StartsWith("AzureFunctions", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// Containers left out: the backups themselves, the Functions host's (<c>azure-webjobs-*</c>, <c>$logs</c>), and the
    /// session archives (<c>rtgf-archives</c>): they must be gone after their retention, and a restore would bring them
    /// back with a fresh creation time; versioning and soft delete protect them for their months (docs/spec/backups.md).
    /// </summary>
    public static bool IsExcludedContainer(string name) =>
        string.Equals(name, Rtgf.Pipeline.Operations.OperationsStorage.BackupsContainer, StringComparison.Ordinal)
        || string.Equals(name, Rtgf.Pipeline.Operations.OperationsStorage.ArchivesContainer, StringComparison.Ordinal)
        || name.StartsWith("azure-webjobs-", StringComparison.Ordinal)
        || name.StartsWith('$');

    public async Task<BackupOutcome> RunAsync(CancellationToken cancellationToken = default)
    {
        var id = IdFor(_time.GetUtcNow());
        var manifestBlob = _backups.CheckedBlob(id + "/" + ManifestName);
        await _backups.CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        if (await manifestBlob.ExistsAsync(cancellationToken).ConfigureAwait(false))
        {
            return new BackupOutcome(id, false, 0, 0, 0, 0);
        }

        var createdAt = _time.GetUtcNow();

        // The consistency point, read before anything else (docs/spec/backups.md#consistency).
        var checkpoint = await ReadCheckpointAsync(cancellationToken).ConfigureAwait(false);

        var tables = new List<BackupTable>();
        var rows = 0L;
        var names = new List<string>();
        await foreach (var table in _tables.QueryAsync(cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            if (!IsExcludedTable(table.Name))
            {
                names.Add(table.Name);
            }
        }

        foreach (var name in names.Order(StringComparer.Ordinal))
        {
            var exported = await ExportTableAsync(id, name, cancellationToken).ConfigureAwait(false);
            tables.Add(exported);
            rows += exported.Rows;
        }

        var previous = await LatestBeforeAsync(id, cancellationToken).ConfigureAwait(false);
        using var blobs = new BlobCopier(this, id, previous);
        if (checkpoint is not null)
        {
            await blobs.AddAsync(_logContainer, CheckpointBlob, checkpoint.Value.Bytes, checkpoint.Value.ContentType, checkpoint.Value.CacheControl, checkpoint.Value.ETag, cancellationToken).ConfigureAwait(false);
        }

        var containers = new List<string>();
        await foreach (var container in _blobs.GetBlobContainersAsync(cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            if (!IsExcludedContainer(container.Name))
            {
                containers.Add(container.Name);
            }
        }

        foreach (var containerName in containers.Order(StringComparer.Ordinal))
        {
            var container = _blobs.GetBlobContainerClient(containerName);
            await foreach (var item in container.GetBlobsAsync(cancellationToken: cancellationToken).ConfigureAwait(false))
            {
                if (string.Equals(containerName, _logContainer, StringComparison.Ordinal) && item.Name is CheckpointBlob or Transparency.BlobLogWriterLock.LockBlobName)
                {
                    continue; // the checkpoint as read first is already in; the writer's lock blob is recreated on first use
                }

                await blobs.AddAsync(container, item, cancellationToken).ConfigureAwait(false);
            }
        }

        await blobs.FlushAsync(cancellationToken).ConfigureAwait(false);
        var manifest = new BackupManifest(
            BackupManifest.CurrentFormat,
            id,
            createdAt,
            checkpoint?.Summary,
            tables,
            [.. containers.Order(StringComparer.Ordinal)],
            blobs.Entries,
            blobs.Parts);
        var sealedManifest = await SealAsync(manifest.ToJson(), id, "manifest", cancellationToken).ConfigureAwait(false);
        try
        {
            await manifestBlob.UploadAsync(BinaryData.FromBytes(sealedManifest), new BlobUploadOptions { Conditions = BlobConditions.CreateOnly }, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException e) when (e.Status is 409 or 412)
        {
            // Another instance finished the day first; its manifest stands and ours is not needed.
            return new BackupOutcome(id, false, tables.Count, rows, blobs.Entries.Count, blobs.CopiedBlobs);
        }

        return new BackupOutcome(id, true, tables.Count, rows, blobs.Entries.Count, blobs.CopiedBlobs);
    }

    /// <summary>The newest backup (by id) before <paramref name="id"/>, whose blob packs later backups reuse; null when none.</summary>
    private async Task<BackupManifest?> LatestBeforeAsync(string id, CancellationToken cancellationToken)
    {
        var ids = await BackupCatalog.ListAsync(_backups, cancellationToken).ConfigureAwait(false);
        var before = ids.Where(i => string.CompareOrdinal(i, id) < 0).Order(StringComparer.Ordinal).LastOrDefault();
        return before is null ? null : await BackupCatalog.ReadManifestAsync(_backups, before, _wrapper, cancellationToken).ConfigureAwait(false);
    }

    private async Task<ReadCheckpoint?> ReadCheckpointAsync(CancellationToken cancellationToken)
    {
        var blob = _blobs.GetBlobContainerClient(_logContainer).GetBlobClient(CheckpointBlob);
        try
        {
            var result = (await blob.DownloadContentAsync(cancellationToken).ConfigureAwait(false)).Value;
            var bytes = result.Content.ToArray();
            var checkpoint = Checkpoint.Parse(SignedNote.Parse(bytes).Text);
            var summary = new BackupCheckpoint(_logContainer, CheckpointBlob, checkpoint.Size, checkpoint.RootHashBase64, Convert.ToHexStringLower(SHA256.HashData(bytes)));
            return new ReadCheckpoint(bytes, result.Details.ContentType, result.Details.CacheControl, result.Details.ETag.ToString(), summary);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return null; // nothing published yet: a backup without a log
        }
    }

    private async Task<BackupTable> ExportTableAsync(string id, string name, CancellationToken cancellationToken)
    {
        var parts = new List<BackupPart>();
        using var buffer = new MemoryStream();
        var total = 0L;
        var inPart = 0L;
        var table = _tables.GetTableClient(name);
        await foreach (var entity in table.QueryAsync<TableEntity>(cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            using (var json = new Utf8JsonWriter(buffer))
            {
                TableRowCodec.Write(json, entity);
            }

            buffer.WriteByte((byte)'\n');
            inPart++;
            total++;
            if (buffer.Length >= _partBytes)
            {
                parts.Add(await WritePartAsync(id, "table:" + name, buffer.ToArray(), inPart, cancellationToken).ConfigureAwait(false));
                buffer.SetLength(0);
                inPart = 0;
            }
        }

        if (inPart > 0 || parts.Count == 0)
        {
            parts.Add(await WritePartAsync(id, "table:" + name, buffer.ToArray(), inPart, cancellationToken).ConfigureAwait(false));
        }

        return new BackupTable(name, total, parts);
    }

    private async Task<BackupPart> WritePartAsync(string id, string kind, byte[] plaintext, long rows, CancellationToken cancellationToken)
    {
        var sealedPart = await SealAsync(plaintext, id, kind, cancellationToken).ConfigureAwait(false);
        var hash = Convert.ToHexStringLower(SHA256.HashData(sealedPart));
        var path = id + "/parts/" + hash;
        try
        {
            await _backups.CheckedBlob(path).UploadAsync(BinaryData.FromBytes(sealedPart), new BlobUploadOptions { Conditions = BlobConditions.CreateOnly }, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException e) when (e.Status is 409 or 412)
        {
            // Named by its hash: a part already there holds these very bytes (a retried upload).
        }

        return new BackupPart(path, hash, sealedPart.LongLength, rows);
    }

    private Task<byte[]> SealAsync(byte[] plaintext, string id, string kind, CancellationToken cancellationToken) =>
        ArchiveEnvelope.SealAsync(plaintext, new Dictionary<string, string> { ["backup"] = id, ["kind"] = kind }, _wrapper, cancellationToken);

    private readonly record struct ReadCheckpoint(byte[] Bytes, string? ContentType, string? CacheControl, string ETag, BackupCheckpoint Summary);

    /// <summary>Packs blobs into sealed parts, copying each content once across backups.</summary>
    private sealed class BlobCopier(StorageBackup backup, string id, BackupManifest? previous) : IDisposable
    {
        private readonly Dictionary<(string, string, string), BackupBlob> _byETag = previous?.Blobs.ToDictionary(b => (b.Container, b.Name, b.ETag)) ?? [];
        private readonly Dictionary<string, BackupBlob> _byHash = previous?.Blobs.DistinctBy(b => b.Sha256, StringComparer.Ordinal).ToDictionary(b => b.Sha256, StringComparer.Ordinal) ?? new(StringComparer.Ordinal);
        private readonly Dictionary<string, BackupPart> _previousParts = previous?.BlobParts.ToDictionary(p => p.Path, StringComparer.Ordinal) ?? new(StringComparer.Ordinal);
        private readonly Dictionary<string, BackupPart> _parts = new(StringComparer.Ordinal);
        private readonly List<(BackupBlob Blob, bool Pending)> _entries = [];
        private readonly MemoryStream _pack = new();

        public int CopiedBlobs { get; private set; }

        public IReadOnlyList<BackupBlob> Entries => [.. _entries.Select(e => e.Blob)];

        public IReadOnlyList<BackupPart> Parts => [.. _parts.Values.OrderBy(p => p.Path, StringComparer.Ordinal)];

        public async Task AddAsync(BlobContainerClient container, BlobItem item, CancellationToken cancellationToken)
        {
            var etag = item.Properties.ETag?.ToString() ?? string.Empty;
            if (_byETag.TryGetValue((container.Name, item.Name, etag), out var known))
            {
                Reference(known with { ContentType = item.Properties.ContentType, CacheControl = item.Properties.CacheControl });
                return;
            }

            var content = (await container.GetBlobClient(item.Name).DownloadContentAsync(cancellationToken).ConfigureAwait(false)).Value;
            await AddAsync(container.Name, item.Name, content.Content.ToArray(), content.Details.ContentType, content.Details.CacheControl, content.Details.ETag.ToString(), cancellationToken).ConfigureAwait(false);
        }

        public async Task AddAsync(string container, string name, byte[] bytes, string? contentType, string? cacheControl, string etag, CancellationToken cancellationToken)
        {
            var hash = Convert.ToHexStringLower(SHA256.HashData(bytes));
            if (_byHash.TryGetValue(hash, out var same))
            {
                Reference(new BackupBlob(container, name, bytes.LongLength, hash, contentType, cacheControl, etag, same.Part, same.Offset));
                return;
            }

            var entry = new BackupBlob(container, name, bytes.LongLength, hash, contentType, cacheControl, etag, string.Empty, _pack.Length);
            _pack.Write(bytes);
            _entries.Add((entry, true));
            _byHash[hash] = entry;
            CopiedBlobs++;
            if (_pack.Length >= backup._partBytes)
            {
                await FlushAsync(cancellationToken).ConfigureAwait(false);
            }
        }

        /// <summary>Seals the pack so far and points its pending entries at it.</summary>
        public async Task FlushAsync(CancellationToken cancellationToken)
        {
            if (!_entries.Any(e => e.Pending))
            {
                return; // an empty blob still needs a pack to point at, so an empty pack is sealed too
            }

            var pending = _entries.Count(e => e.Pending);
            var part = await backup.WritePartAsync(id, "blobs", _pack.ToArray(), pending, cancellationToken).ConfigureAwait(false);
            _parts[part.Path] = part;
            for (var i = 0; i < _entries.Count; i++)
            {
                if (_entries[i].Pending)
                {
                    var located = _entries[i].Blob with { Part = part.Path };
                    _entries[i] = (located, false);
                    _byHash[located.Sha256] = located;
                }
            }

            _pack.SetLength(0);
        }

        public void Dispose() => _pack.Dispose();

        private void Reference(BackupBlob blob)
        {
            if (blob.Part.Length == 0)
            {
                // Same content as a blob still in the open pack: it is located when the pack is sealed.
                _entries.Add((blob, true));
                return;
            }

            if (!_parts.ContainsKey(blob.Part))
            {
                _parts[blob.Part] = _previousParts.TryGetValue(blob.Part, out var part)
                    ? part
                    : throw new BackupFormatException($"The previous backup names blob pack '{blob.Part}' without listing it.");
            }

            _entries.Add((blob, false));
        }
    }
}

/// <summary>What a backup run did: the day, whether this run wrote its manifest, tables, rows, blobs listed and blobs copied.</summary>
public sealed record BackupOutcome(string Id, bool Created, int Tables, long Rows, int Blobs, int CopiedBlobs);
