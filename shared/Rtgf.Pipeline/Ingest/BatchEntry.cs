namespace Rtgf.Pipeline.Ingest;

/// <summary>One row of the batch ledger: a TGA fan-out batch of a run, whether <c>tga-ingest</c> committed it and its counts.</summary>
public sealed record BatchEntry(string RunId, int Batch, bool Done, long Records, long Changed);
