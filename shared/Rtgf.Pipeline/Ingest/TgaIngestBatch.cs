namespace Rtgf.Pipeline.Ingest;

/// <summary>
/// The message <c>tga-sync</c> sends to <c>rtgf-tga-ingest</c>: batch <see cref="Batch"/> (1-based) of run
/// <see cref="RunId"/>, a list of codes of one <see cref="Kind"/> (<see cref="TgaBatchKind"/>). JSON, camelCase.
/// </summary>
public sealed record TgaIngestBatch(string RunId, int Batch, string Kind, IReadOnlyList<TgaBatchItem> Items);
