namespace Rtgf.Pipeline.Ingest;

/// <summary>What started an ingest run (recorded in the ingest-runs table as <c>timer</c>, <c>manual</c> or <c>queue</c>).</summary>
public enum IngestTrigger
{
    Timer,
    Manual,
    Queue,
}
