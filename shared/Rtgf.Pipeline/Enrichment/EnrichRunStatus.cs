namespace Rtgf.Pipeline.Enrichment;

/// <summary>An enrichment run's states: one run is active or paused at a time; a done run lets the next timer start another.</summary>
public static class EnrichRunStatus
{
    public const string Active = "active";

    /// <summary>Stopped by the kill switch or a quota/credential error; the next timer (when enabled) resumes it from its cursor.</summary>
    public const string Paused = "paused";

    public const string Done = "done";
}
