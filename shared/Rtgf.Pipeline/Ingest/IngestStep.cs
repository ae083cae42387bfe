namespace Rtgf.Pipeline.Ingest;

/// <summary>One named step of a run (e.g. <c>search-components</c>) with how many items it handled and how long it took.</summary>
public sealed record IngestStep(string Name, long Count, long DurationMs);
