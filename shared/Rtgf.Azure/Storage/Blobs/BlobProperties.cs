using Azure;

namespace Rtgf.Azure.Storage.Blobs;

/// <summary>A blob's system properties and metadata.</summary>
public sealed record BlobProperties
{
    public required long ContentLength { get; init; }

    public string? ContentType { get; init; }

    public string? CacheControl { get; init; }

    public string? ContentEncoding { get; init; }

    public string? ContentLanguage { get; init; }

    public string? ContentDisposition { get; init; }

    public byte[]? ContentHash { get; init; }

    public required ETag ETag { get; init; }

    public DateTimeOffset LastModified { get; init; }

    public DateTimeOffset? CreatedOn { get; init; }

    public IReadOnlyDictionary<string, string> Metadata { get; init; } = new Dictionary<string, string>();
}
