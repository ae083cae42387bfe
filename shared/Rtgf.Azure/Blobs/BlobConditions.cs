using Azure;
using Azure.Storage.Blobs.Models;

namespace Rtgf.Azure.Blobs;

/// <summary>The two conditional writes our stores make: create-only and compare-and-swap on an ETag.</summary>
internal static class BlobConditions
{
    /// <summary><c>If-None-Match: *</c>: the write fails (409/412) when the blob exists.</summary>
    public static BlobRequestConditions CreateOnly => new() { IfNoneMatch = ETag.All };

    /// <summary><c>If-Match</c>: the write fails (412) unless the blob is still at <paramref name="etag"/>.</summary>
    public static BlobRequestConditions Match(ETag etag) => new() { IfMatch = etag };
}
