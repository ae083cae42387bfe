using Azure;

namespace Rtgf.Azure.Snapshots;

/// <summary>The three blob operations the snapshot store needs (a seam so tests can fail between them).</summary>
internal interface ISnapshotBlobs
{
    /// <summary>The blob's bytes and ETag, or null when it does not exist.</summary>
    Task<(byte[] Content, ETag ETag)?> TryReadAsync(string name, CancellationToken cancellationToken);

    /// <summary>Create-only upload; false when the blob already exists.</summary>
    Task<bool> CreateAsync(string name, ReadOnlyMemory<byte> content, CancellationToken cancellationToken);

    /// <summary>Compare-and-swap (<paramref name="expected"/> null = create-only); false when the condition fails.</summary>
    Task<bool> SwapAsync(string name, ReadOnlyMemory<byte> content, ETag? expected, CancellationToken cancellationToken);
}
