using Rtgf.Azure.Storage.Internal;

namespace Rtgf.Azure.Storage.Blobs;

/// <summary>Options for the blob clients.</summary>
public sealed class BlobClientOptions() : StorageClientOptions(StorageService.Blob, "2025-01-05", SharedKeyScheme.SharedKey)
{
}
