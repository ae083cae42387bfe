namespace Rtgf.Azure.Storage.Blobs;

/// <summary>A downloaded blob (or range): the bytes and the blob's properties.</summary>
public sealed record BlobDownloadResult(BinaryData Content, BlobProperties Details, string? ContentRange);
