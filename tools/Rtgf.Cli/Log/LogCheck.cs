using Rtgf.Transparency.Checkpoints;
using Rtgf.Transparency.Merkle;
using Rtgf.Transparency.Storage;
using Rtgf.Transparency.Tiles;

namespace Rtgf.Cli.Log;

/// <summary>The checks behind `rtgf log`: each returns a verdict; only unreadable input throws.</summary>
internal static class LogCheck
{
    public static async Task<(ProofCheck Check, Checkpoint? Checkpoint)> CheckpointAsync(ILogObjectSource log, NoteVerifierKey key, CancellationToken cancellationToken)
    {
        var note = await new LogReader(log).ReadCheckpointAsync(cancellationToken)
            ?? throw new InvalidOperationException("the log has no checkpoint.");
        var verification = CheckpointVerifier.Verify(note, [key]);
        return verification.IsValid ? (ProofCheck.Valid, verification.Checkpoint) : (ProofCheck.Invalid(verification.Reason!), null);
    }

    public static async Task<ProofCheck> InclusionFromLogAsync(
        ILogObjectSource log, Checkpoint checkpoint, long index, byte[]? leafHash, CancellationToken cancellationToken)
    {
        if (index >= checkpoint.Size)
        {
            return ProofCheck.Invalid($"index {index} is beyond the checkpoint's tree size {checkpoint.Size}");
        }

        var reader = new LogReader(log);
        try
        {
            // Without a given entry, check the log's own copy of the entry.
            leafHash ??= MerkleHash.Leaf((await reader.GetEntryAsync(index, checkpoint.Size, cancellationToken)).Span);
            var proof = await reader.GetInclusionProofAsync(index, checkpoint.Size, cancellationToken);
            return MerkleProofVerifier.VerifyInclusion(index, checkpoint.Size, leafHash, proof, checkpoint.RootHash);
        }
        catch (Exception ex) when (ex is LogObjectMissingException or FormatException)
        {
            return ProofCheck.Invalid("the log cannot serve the proof: " + ex.Message);
        }
    }

    public static async Task<ProofCheck> ConsistencyFromLogAsync(
        ILogObjectSource log, Checkpoint checkpoint, long oldSize, byte[] oldRoot, CancellationToken cancellationToken)
    {
        if (oldSize > checkpoint.Size)
        {
            return ProofCheck.Invalid($"the log's checkpoint (size {checkpoint.Size}) is smaller than the old size {oldSize}");
        }

        try
        {
            var proof = await new LogReader(log).GetConsistencyProofAsync(oldSize, checkpoint.Size, cancellationToken);
            return MerkleProofVerifier.VerifyConsistency(oldSize, checkpoint.Size, oldRoot, checkpoint.RootHash, proof);
        }
        catch (Exception ex) when (ex is LogObjectMissingException or FormatException)
        {
            return ProofCheck.Invalid("the log cannot serve the proof: " + ex.Message);
        }
    }
}
