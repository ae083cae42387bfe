namespace Rtgf.Transparency.Checkpoints;

/// <summary>The outcome of verifying a signed note: the parsed note and the keys that verified it, or the reason it is rejected.</summary>
public sealed record NoteVerification(bool IsValid, string? Reason, SignedNote? Note, IReadOnlyList<string> VerifiedBy)
{
    internal static NoteVerification Invalid(string reason, SignedNote? note = null) => new(false, reason, note, []);
}
