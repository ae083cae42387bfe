namespace Rtgf.Transparency.Storage;

/// <summary>An object's bytes and its version (a Blob ETag, or a counter in memory) for compare-and-swap.</summary>
public sealed record StoredObject(ReadOnlyMemory<byte> Content, string Version);
