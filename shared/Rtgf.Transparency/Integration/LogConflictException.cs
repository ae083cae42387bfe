namespace Rtgf.Transparency.Integration;

/// <summary>Another writer moved the checkpoint while this integration ran; nothing of this batch was published. Reload and retry.</summary>
public sealed class LogConflictException(string message) : InvalidOperationException(message);
