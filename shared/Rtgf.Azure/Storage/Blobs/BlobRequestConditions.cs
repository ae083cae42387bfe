using Azure;

namespace Rtgf.Azure.Storage.Blobs;

/// <summary>
/// Conditional-request headers. <c>IfNoneMatch = ETag.All</c> makes an upload create-only;
/// <c>IfMatch = etag</c> makes it a compare-and-swap.
/// </summary>
public sealed class BlobRequestConditions : RequestConditions
{
    /// <summary>Create-only: fails with 409 <c>BlobAlreadyExists</c> if the blob exists.</summary>
    public static BlobRequestConditions CreateOnly => new() { IfNoneMatch = ETag.All };

    /// <summary>Compare-and-swap: fails with 412 <c>ConditionNotMet</c> unless the blob still has <paramref name="etag"/>.</summary>
    public static BlobRequestConditions MatchETag(ETag etag) => new() { IfMatch = etag };
}
