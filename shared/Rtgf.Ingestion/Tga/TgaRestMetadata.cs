namespace Rtgf.Ingestion.Tga;

/// <summary><c>GET /api/metadata</c>: the export synchronisation time (a cheap "has anything changed" probe) and versions.</summary>
public sealed record TgaRestMetadata(string? DataExportSynchronisationDateTime, string? Version, string? InformationalVersion);
