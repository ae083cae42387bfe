namespace Rtgf.Azure.Storage.Blobs;

/// <summary>Standard HTTP properties stored with a blob and returned when it is read.</summary>
public sealed record BlobHttpHeaders
{
    public string? ContentType { get; init; }

    public string? CacheControl { get; init; }

    public string? ContentEncoding { get; init; }

    public string? ContentLanguage { get; init; }

    public string? ContentDisposition { get; init; }

    /// <summary>MD5 of the whole content, stored for readers to check (the service validates it on upload).</summary>
    public byte[]? ContentHash { get; init; }
}
