namespace Rtgf.Azure.Storage.Blobs;

/// <summary>One blob in a listing.</summary>
public sealed record BlobItem(string Name, BlobItemProperties Properties, IReadOnlyDictionary<string, string> Metadata);
