namespace Rtgf.Azure.Storage.Blobs;

/// <summary>Options for the blob clients.</summary>
public sealed class BlobClientOptions() : StorageClientOptions(SharedKeyScheme.SharedKey)
{
    /// <summary>The Blob service REST version sent as <c>x-ms-version</c>.</summary>
    public string ServiceVersion { get; set; } = "2025-01-05";
}
