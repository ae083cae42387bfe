namespace Rtgf.Pipeline.Ingest;

/// <summary>The states of an ingest run as stored (lowercase strings, stable).</summary>
public static class IngestRunStatus
{
    /// <summary>Started; for TGA, batches are still pending.</summary>
    public const string Running = "running";

    /// <summary>TGA only: the last batch committed and one invocation claimed the run to finalise it.</summary>
    public const string Finalising = "finalising";

    public const string Succeeded = "succeeded";

    public const string Failed = "failed";

    /// <summary>Finished with nothing new upstream: no snapshot.</summary>
    public const string NoChange = "no-change";

    public static bool IsFinal(string status) => status is Succeeded or Failed or NoChange;
}
