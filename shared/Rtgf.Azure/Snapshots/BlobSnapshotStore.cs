using System.Text;
using Azure.Storage.Blobs;
using Rtgf.Ingestion.Snapshots;

namespace Rtgf.Azure.Snapshots;

/// <summary>
/// Snapshots in Blob Storage, content-addressed: <c>snapshots/&lt;source&gt;/&lt;digest-hex&gt;/records.jsonl</c>, then
/// <c>manifest.json</c>, both create-only and in that order, so a snapshot is complete iff its manifest exists; then the
/// <c>snapshots/&lt;source&gt;/latest</c> pointer (its body is the digest) moves by ETag compare-and-swap. The container is
/// created on first use.
/// </summary>
public sealed class BlobSnapshotStore : ISnapshotStore
{
    private const int MaxPointerAttempts = 16;
    private readonly ISnapshotBlobs _blobs;

    public BlobSnapshotStore(BlobContainerClient container)
        : this(new ContainerSnapshotBlobs(container ?? throw new ArgumentNullException(nameof(container))))
    {
    }

    internal BlobSnapshotStore(ISnapshotBlobs blobs) => _blobs = blobs;

    public static string RecordsPath(string source, string digestHex) => $"snapshots/{source}/{digestHex}/records.jsonl";

    public static string ManifestPath(string source, string digestHex) => $"snapshots/{source}/{digestHex}/manifest.json";

    public static string LatestPath(string source) => $"snapshots/{source}/latest";

    public async Task<SnapshotWriteResult> WriteAsync(Snapshot snapshot, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var manifest = snapshot.Manifest;
        if (!string.Equals(SnapshotBuilder.DigestOf(snapshot.Records.Span), manifest.Digest, StringComparison.Ordinal))
        {
            throw new SnapshotException($"Snapshot {manifest.Source}: the records do not match the manifest digest {manifest.Digest}.");
        }

        var latest = await _blobs.TryReadAsync(LatestPath(manifest.Source), cancellationToken).ConfigureAwait(false);
        if (latest is { } current && Encoding.ASCII.GetString(current.Content) == manifest.Digest
            && await GetAsync(manifest.Source, manifest.Digest, cancellationToken).ConfigureAwait(false) is { } existing)
        {
            return new SnapshotWriteResult(existing.Manifest, Created: false); // no change, no snapshot
        }

        // Records first, manifest last: a crash in between leaves records no reader looks at.
        var hex = manifest.DigestHex;
        if (!await _blobs.CreateAsync(RecordsPath(manifest.Source, hex), snapshot.Records, cancellationToken).ConfigureAwait(false))
        {
            // Same path means same digest; check anyway, a corrupted blob must not be adopted.
            var stored = await _blobs.TryReadAsync(RecordsPath(manifest.Source, hex), cancellationToken).ConfigureAwait(false);
            if (stored is not { } s || SnapshotBuilder.DigestOf(s.Content) != manifest.Digest)
            {
                throw new SnapshotException($"Snapshot {manifest.Source}/{hex}: records.jsonl exists with other content.");
            }
        }

        var created = await _blobs.CreateAsync(ManifestPath(manifest.Source, hex), snapshot.ManifestJson, cancellationToken).ConfigureAwait(false);
        var winner = created ? manifest : (await GetAsync(manifest.Source, manifest.Digest, cancellationToken).ConfigureAwait(false))!.Manifest;
        await MoveLatestAsync(manifest.Source, manifest.Digest, latest, cancellationToken).ConfigureAwait(false);
        return new SnapshotWriteResult(winner, created);
    }

    public async Task<Snapshot?> GetLatestAsync(string source, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(source);
        var latest = await _blobs.TryReadAsync(LatestPath(source), cancellationToken).ConfigureAwait(false);
        return latest is { } pointer ? await GetAsync(source, Encoding.ASCII.GetString(pointer.Content), cancellationToken).ConfigureAwait(false) : null;
    }

    public async Task<Snapshot?> GetAsync(string source, string digest, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(source);
        ArgumentException.ThrowIfNullOrEmpty(digest);
        if (!digest.StartsWith(SnapshotManifest.DigestPrefix, StringComparison.Ordinal))
        {
            throw new SnapshotException($"'{digest}' is not a sha256:<hex> snapshot digest.");
        }

        var hex = digest[SnapshotManifest.DigestPrefix.Length..];
        if (await _blobs.TryReadAsync(ManifestPath(source, hex), cancellationToken).ConfigureAwait(false) is not { } manifestBlob)
        {
            return null; // records without a manifest are an unfinished write: not a snapshot
        }

        var manifest = SnapshotManifest.Parse(manifestBlob.Content);
        var records = await _blobs.TryReadAsync(RecordsPath(source, hex), cancellationToken).ConfigureAwait(false)
            ?? throw new SnapshotException($"Snapshot {source}/{hex}: manifest.json exists but records.jsonl does not.");
        if (manifest.Digest != digest || SnapshotBuilder.DigestOf(records.Content) != digest)
        {
            throw new SnapshotException($"Snapshot {source}/{hex}: the stored records or manifest do not match digest {digest}.");
        }

        return new Snapshot(manifest, manifestBlob.Content, records.Content);
    }

    private async Task MoveLatestAsync(string source, string digest, (byte[] Content, global::Azure.ETag ETag)? seen, CancellationToken cancellationToken)
    {
        var content = Encoding.ASCII.GetBytes(digest);
        for (var attempt = 0; attempt < MaxPointerAttempts; attempt++)
        {
            if (seen is { } current && current.Content.AsSpan().SequenceEqual(content))
            {
                return; // a concurrent writer of the same snapshot moved it already
            }

            if (await _blobs.SwapAsync(LatestPath(source), content, seen?.ETag, cancellationToken).ConfigureAwait(false))
            {
                return;
            }

            seen = await _blobs.TryReadAsync(LatestPath(source), cancellationToken).ConfigureAwait(false);
        }

        throw new SnapshotException($"Snapshot {source}: the latest pointer kept changing; gave up after {MaxPointerAttempts} attempts.");
    }
}
