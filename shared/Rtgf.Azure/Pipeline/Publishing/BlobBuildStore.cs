using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Rtgf.Azure.Blobs;
using Rtgf.Pipeline.Publishing;

namespace Rtgf.Azure.Pipeline.Publishing;

/// <summary>
/// Builds in Blob Storage (container <c>rtgf-builds</c>): <c>&lt;buildIdHex&gt;/inputs.json</c> then
/// <c>&lt;buildIdHex&gt;/manifest.json</c>, both create-only, so a build is complete iff its manifest exists; plans and other
/// documents under their own paths, create-only.
/// </summary>
public sealed class BlobBuildStore : IBuildStore
{
    public const string ContainerName = "rtgf-builds";

    private readonly CreatedOnFirstUse<BlobContainerClient> _container;

    public BlobBuildStore(BlobContainerClient container) => _container = CreatedOnFirstUse.Container(container);

    public static string ManifestPath(string hex) => $"{hex}/manifest.json";

    public static string InputsPath(string hex) => $"{hex}/inputs.json";

    public async Task<bool> SaveAsync(StoredBuild build, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(build);
        var hex = build.Hex;
        if (!string.Equals(LogDigest(build.ManifestJson.Span), build.BuildId, StringComparison.Ordinal))
        {
            throw new ArgumentException($"Build {build.BuildId} is not the SHA-256 of its manifest.", nameof(build));
        }

        var inputs = build.InputsJson();
        await CreateOrMatchAsync(InputsPath(hex), inputs, cancellationToken).ConfigureAwait(false);
        return await CreateOrMatchAsync(ManifestPath(hex), build.ManifestJson, cancellationToken).ConfigureAwait(false);
    }

    public async Task<StoredBuild?> GetAsync(string buildId, CancellationToken cancellationToken = default)
    {
        var hex = BuildIds.Hex(buildId);
        if (await ReadAsync(ManifestPath(hex), cancellationToken).ConfigureAwait(false) is not { } manifest)
        {
            return null;
        }

        var inputs = await ReadAsync(InputsPath(hex), cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"Build {buildId}: manifest.json exists but inputs.json does not.");
        if (!string.Equals(LogDigest(manifest.Span), buildId, StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"Build {buildId}: the stored manifest does not hash to the build id.");
        }

        return new StoredBuild(buildId, manifest, StoredBuild.ParseInputs(inputs.Span));
    }

    public async Task PutDocumentAsync(string path, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default) =>
        await CreateOrMatchAsync(path, content, cancellationToken).ConfigureAwait(false);

    public Task<ReadOnlyMemory<byte>?> GetDocumentAsync(string path, CancellationToken cancellationToken = default) => ReadAsync(path, cancellationToken);

    private static string LogDigest(ReadOnlySpan<byte> data) => Rtgf.Core.Encoding.Sha256Digest.Of(data);

    /// <summary>Creates the blob; when it exists, its bytes must be the same (content-addressed paths make a retry a no-op).</summary>
    private async Task<bool> CreateOrMatchAsync(string path, ReadOnlyMemory<byte> content, CancellationToken cancellationToken)
    {
        var blob = _container.Client.CheckedBlob(path);
        await _container.GetAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await blob.UploadAsync(new BinaryData(content), new BlobUploadOptions { Conditions = BlobConditions.CreateOnly }, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (RequestFailedException e) when (e.Status is 409 or 412)
        {
            var existing = await ReadAsync(path, cancellationToken).ConfigureAwait(false);
            return existing is { } bytes && bytes.Span.SequenceEqual(content.Span)
                ? false
                : throw new InvalidOperationException($"'{ContainerName}/{path}' already exists with different content.");
        }
    }

    private async Task<ReadOnlyMemory<byte>?> ReadAsync(string path, CancellationToken cancellationToken)
    {
        // Reads create nothing: a missing container is a missing blob (404).
        var blob = _container.Client.CheckedBlob(path);
        try
        {
            return (await blob.DownloadContentAsync(cancellationToken: cancellationToken).ConfigureAwait(false)).Value.Content.ToMemory();
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }
    }
}
