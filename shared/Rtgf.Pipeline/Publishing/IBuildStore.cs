namespace Rtgf.Pipeline.Publishing;

/// <summary>
/// Compiled builds (<c>rtgf-builds/&lt;buildIdHex&gt;/manifest.json</c> and <c>inputs.json</c>) and the publication plans
/// derived from them, all immutable and written create-only.
/// </summary>
public interface IBuildStore
{
    /// <summary>Stores a build's manifest and inputs; false when the build was stored before (its bytes are then checked to match).</summary>
    Task<bool> SaveAsync(StoredBuild build, CancellationToken cancellationToken = default);

    /// <summary>A build by id (<c>sha256:&lt;hex&gt;</c>), or null.</summary>
    Task<StoredBuild?> GetAsync(string buildId, CancellationToken cancellationToken = default);

    /// <summary>Stores an immutable document (a publication plan) under <paramref name="path"/>; an existing one is kept.</summary>
    Task PutDocumentAsync(string path, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default);

    /// <summary>A document stored with <see cref="PutDocumentAsync"/>, or null.</summary>
    Task<ReadOnlyMemory<byte>?> GetDocumentAsync(string path, CancellationToken cancellationToken = default);
}
