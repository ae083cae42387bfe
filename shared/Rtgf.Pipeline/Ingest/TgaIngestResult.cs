namespace Rtgf.Pipeline.Ingest;

/// <summary>What <c>tga-ingest</c> did with one message.</summary>
public enum TgaIngestResult
{
    /// <summary>The batch was applied (or had been) and committed in the ledger; runs still have pending batches.</summary>
    Committed,

    /// <summary>The batch was the run's last: the run was finalised by this invocation.</summary>
    Finalised,

    /// <summary>The run was already final (or superseded): nothing to do.</summary>
    RunClosed,

    /// <summary>The message could not be understood: recorded in the dead-letter table and completed.</summary>
    Poison,
}
