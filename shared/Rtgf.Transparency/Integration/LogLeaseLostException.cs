namespace Rtgf.Transparency.Integration;

/// <summary>
/// The writer's lease expired and was taken, broken or released: it stopped before its next write, and nothing it wrote since its
/// last checkpoint is published. Reload and retry under a new lease.
/// </summary>
public sealed class LogLeaseLostException(string message) : InvalidOperationException(message);
