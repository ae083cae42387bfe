using Rtgf.Transparency.Checkpoints;

namespace Rtgf.Transparency.Integration;

/// <summary>The indexes a batch received (contiguous, in batch order) and the signed checkpoint that covers them.</summary>
public sealed record IntegrationResult(long FirstIndex, int Count, Checkpoint Checkpoint, string CheckpointNote)
{
    public IReadOnlyList<long> Indexes => [.. Enumerable.Range(0, Count).Select(i => FirstIndex + i)];
}
