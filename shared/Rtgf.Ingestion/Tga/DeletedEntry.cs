namespace Rtgf.Ingestion.Tga;

/// <summary>A deletion from <c>SearchDeletedByDeletedDate</c>: the component or organisation code, how and when.</summary>
public sealed record DeletedEntry(string Code, string Operation, DateTimeOffset? UpdatedDate);
