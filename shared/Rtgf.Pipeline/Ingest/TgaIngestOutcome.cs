using Rtgf.Pipeline.Messages;

namespace Rtgf.Pipeline.Ingest;

/// <summary>The result of one <c>tga-ingest</c> message, the run when known, and a compile request when finalisation cut a new snapshot.</summary>
public sealed record TgaIngestOutcome(TgaIngestResult Result, IngestRun? Run, CompileRequest? Compile, string? Reason = null);
