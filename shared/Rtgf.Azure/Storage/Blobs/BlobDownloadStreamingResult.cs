namespace Rtgf.Azure.Storage.Blobs;

/// <summary>A blob (or range) being downloaded: read <see cref="Content"/> and dispose the result.</summary>
public sealed class BlobDownloadStreamingResult(Stream content, BlobProperties details, string? contentRange) : IDisposable
{
    public Stream Content { get; } = content;

    public BlobProperties Details { get; } = details;

    public string? ContentRange { get; } = contentRange;

    public void Dispose() => Content.Dispose();
}
