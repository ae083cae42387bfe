namespace Rtgf.Transparency.Checkpoints;

/// <summary>Verifies a signed checkpoint note and parses its body.</summary>
public static class CheckpointVerifier
{
    public static CheckpointVerification Verify(string note, IReadOnlyList<NoteVerifierKey> keys, string? expectedOrigin = null)
    {
        var verification = NoteVerifier.Verify(note, keys);
        if (!verification.IsValid)
        {
            return new CheckpointVerification(false, verification.Reason, null, verification.Note);
        }

        Checkpoint checkpoint;
        try
        {
            checkpoint = Checkpoint.Parse(verification.Note!.Text);
        }
        catch (FormatException ex)
        {
            return new CheckpointVerification(false, "malformed checkpoint: " + ex.Message, null, verification.Note);
        }

        if (expectedOrigin is not null && !string.Equals(checkpoint.Origin, expectedOrigin, StringComparison.Ordinal))
        {
            return new CheckpointVerification(false, $"the checkpoint origin is '{checkpoint.Origin}', expected '{expectedOrigin}'", checkpoint, verification.Note);
        }

        return new CheckpointVerification(true, null, checkpoint, verification.Note);
    }
}
