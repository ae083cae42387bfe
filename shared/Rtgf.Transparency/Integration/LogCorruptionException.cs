namespace Rtgf.Transparency.Integration;

/// <summary>
/// The stored log contradicts its published checkpoint (a bad signature, a root the tiles do not reproduce, an immutable object with
/// different bytes). The integrator refuses to continue: this needs an operator, not a retry.
/// </summary>
public sealed class LogCorruptionException(string message, Exception? inner = null) : InvalidOperationException(message, inner);
