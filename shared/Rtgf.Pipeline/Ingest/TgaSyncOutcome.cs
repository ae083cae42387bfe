namespace Rtgf.Pipeline.Ingest;

/// <summary>A <c>tga-sync</c> run and the batches to fan out to <c>rtgf-tga-ingest</c> (empty when it failed or found nothing).</summary>
public sealed record TgaSyncOutcome(IngestRun Run, IReadOnlyList<TgaIngestBatch> Batches);
