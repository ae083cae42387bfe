using Azure;

namespace Rtgf.Azure.Storage.Blobs;

/// <summary>What an upload returns: the new version's ETag, time and MD5.</summary>
public sealed record BlobContentInfo(ETag ETag, DateTimeOffset LastModified, byte[]? ContentHash);
