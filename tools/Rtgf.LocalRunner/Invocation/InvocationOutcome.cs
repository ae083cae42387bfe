namespace Rtgf.LocalRunner.Invocation;

/// <summary>
/// How an invocation ended, as the host judges it: the worker's status, and its outputs delivered. Not
/// <paramref name="Delivered"/>: the worker went away, so the function's own outcome is unknown (not its failure).
/// </summary>
internal sealed record InvocationOutcome(string InvocationId, bool Succeeded, string? Error, TimeSpan Duration, bool Delivered = true);
