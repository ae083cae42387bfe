namespace Rtgf.Pipeline.Enrichment;

/// <summary>One <c>rtgf-enrich-sync</c> message: enrich page <see cref="Page"/> of run <see cref="RunId"/>, the RTOs after code <see cref="After"/>.</summary>
public sealed record EnrichPageMessage(string RunId, int Page, string? After);
