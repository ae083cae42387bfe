namespace Rtgf.Azure.Storage.Blobs;

/// <summary>Properties, metadata and conditions for an upload.</summary>
public sealed record BlobUploadOptions
{
    public BlobHttpHeaders? HttpHeaders { get; init; }

    /// <summary>Name/value pairs stored as <c>x-ms-meta-*</c> headers (names are C# identifiers, values ASCII).</summary>
    public IReadOnlyDictionary<string, string>? Metadata { get; init; }

    public BlobRequestConditions? Conditions { get; init; }
}
