using Rtgf.Pipeline.Messages;

namespace Rtgf.Pipeline.Ingest;

/// <summary>What a run ended as, and the compile request to send when it cut a new snapshot.</summary>
public sealed record IngestOutcome(IngestRun Run, CompileRequest? Compile);
