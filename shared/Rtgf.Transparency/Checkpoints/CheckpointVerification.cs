namespace Rtgf.Transparency.Checkpoints;

/// <summary>A verified checkpoint (its signed note and parsed body), or the reason it was rejected.</summary>
public sealed record CheckpointVerification(bool IsValid, string? Reason, Checkpoint? Checkpoint, SignedNote? Note);
