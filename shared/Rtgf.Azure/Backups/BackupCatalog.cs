using System.Globalization;
using Azure;
using Azure.Storage.Blobs;
using Rtgf.Core.Encryption;

namespace Rtgf.Azure.Backups;

/// <summary>The backups in a backups container: the days that have a manifest (a day without one is unfinished), and their manifests opened.</summary>
public static class BackupCatalog
{
    /// <summary>The ids (<c>yyyy-MM-dd</c>) of the finished backups, oldest first.</summary>
    public static async Task<IReadOnlyList<string>> ListAsync(BlobContainerClient backups, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(backups);
        var ids = new List<string>();
        try
        {
            await foreach (var item in backups.GetBlobsAsync(cancellationToken: cancellationToken).ConfigureAwait(false))
            {
                var slash = item.Name.IndexOf('/', StringComparison.Ordinal);
                if (slash > 0 && item.Name.AsSpan(slash + 1).SequenceEqual(StorageBackup.ManifestName))
                {
                    ids.Add(item.Name[..slash]);
                }
            }
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return [];
        }

        return [.. ids.Order(StringComparer.Ordinal)];
    }

    /// <summary>
    /// A backup named by its id (<c>2026-12-05</c>) or its manifest's path (<c>2026-12-05/manifest</c>): the id, or a
    /// readable error when the text is neither.
    /// </summary>
    public static string ParseId(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var id = text.EndsWith("/" + StorageBackup.ManifestName, StringComparison.Ordinal) ? text[..^(StorageBackup.ManifestName.Length + 1)] : text;
        if (!DateOnly.TryParseExact(id, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
        {
            throw new BackupFormatException($"'{text}' names no backup: give its date (yyyy-MM-dd) or its manifest (yyyy-MM-dd/manifest).");
        }

        return id;
    }

    /// <summary>Downloads and opens (authenticates) a backup's manifest.</summary>
    public static async Task<BackupManifest> ReadManifestAsync(BlobContainerClient backups, string id, IDataKeyWrapper wrapper, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(backups);
        byte[] bytes;
        try
        {
            bytes = (await backups.GetBlobClient(id + "/" + StorageBackup.ManifestName).DownloadContentAsync(cancellationToken).ConfigureAwait(false)).Value.Content.ToArray();
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            throw new BackupFormatException($"There is no finished backup {id} (no {id}/{StorageBackup.ManifestName} in container {backups.Name}).", e);
        }

        OpenedArchive opened;
        try
        {
            opened = await ArchiveEnvelope.OpenAsync(bytes, wrapper, cancellationToken).ConfigureAwait(false);
        }
        catch (ArchiveDecryptionException e)
        {
            throw new BackupFormatException($"The manifest of backup {id} cannot be opened: {e.Message}", e);
        }

        if (!opened.Header.Metadata.TryGetValue("backup", out var sealedId) || sealedId != id || !opened.Header.Metadata.TryGetValue("kind", out var kind) || kind != "manifest")
        {
            throw new BackupFormatException($"The manifest at {id}/{StorageBackup.ManifestName} was sealed for another backup or purpose.");
        }

        BackupManifest manifest;
        try
        {
            manifest = BackupManifest.FromJson(opened.Plaintext);
        }
        catch (System.Text.Json.JsonException e)
        {
            throw new BackupFormatException($"The manifest of backup {id} is not valid JSON: {e.Message}", e);
        }

        if (manifest.Format != BackupManifest.CurrentFormat || manifest.Id != id)
        {
            throw new BackupFormatException($"The manifest of backup {id} has format {manifest.Format} and id {manifest.Id}; this tool reads format {BackupManifest.CurrentFormat}.");
        }

        return manifest;
    }
}
