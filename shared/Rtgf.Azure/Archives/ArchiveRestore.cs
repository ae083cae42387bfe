using System.Globalization;
using Azure;
using Azure.Storage.Blobs;
using Rtgf.Core.Encryption;
using Rtgf.Pipeline.Audit;

namespace Rtgf.Azure.Archives;

/// <summary>
/// Restores one archive for an operator (docs/spec/archives.md#restore): reads it, decrypts and authenticates it, and
/// appends an <c>archive.restored</c> audit entry naming the actor before the caller may write the plaintext anywhere.
/// A missing blob, a wrong key or a changed byte throws with one readable line and appends nothing.
/// </summary>
public static class ArchiveRestore
{
    public static async Task<OpenedArchive> RestoreAsync(
        BlobContainerClient container,
        string blobName,
        IDataKeyWrapper wrapper,
        IAuditTrail audit,
        string actor,
        TimeProvider time,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(container);
        ArgumentNullException.ThrowIfNull(audit);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentException.ThrowIfNullOrWhiteSpace(blobName);
        ArgumentException.ThrowIfNullOrWhiteSpace(actor);

        BinaryData content;
        try
        {
            content = (await container.GetBlobClient(blobName).DownloadContentAsync(cancellationToken).ConfigureAwait(false)).Value.Content;
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            throw new FileNotFoundException($"No archive '{blobName}' in container '{container.Name}'.", e);
        }

        var opened = await ArchiveEnvelope.OpenAsync(content.ToMemory(), wrapper, cancellationToken).ConfigureAwait(false);
        var now = time.GetUtcNow();
        var details = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["container"] = container.Name,
            ["kid"] = opened.Header.KeyId,
        };
        foreach (var name in new[] { "archived-at", "count", "session-id", "kind" })
        {
            if (opened.Header.Metadata.TryGetValue(name, out var value))
            {
                details[name] = value;
            }
        }

        var id = string.Create(CultureInfo.InvariantCulture, $"{AuditActions.ArchiveRestored}:{container.Name}/{blobName}:{actor}:{now.UtcTicks}");
        await audit.AppendAsync(new AuditEntry(id, now, actor, AuditActions.ArchiveRestored, blobName, details), cancellationToken).ConfigureAwait(false);
        return opened;
    }
}
