using Azure;

namespace Rtgf.Azure.Storage.Blobs;

/// <summary>The properties a listing returns for each blob.</summary>
public sealed record BlobItemProperties(long ContentLength, string? ContentType, string? CacheControl, ETag ETag, DateTimeOffset LastModified, byte[]? ContentHash);
