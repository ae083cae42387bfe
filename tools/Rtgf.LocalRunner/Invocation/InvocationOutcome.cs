namespace Rtgf.LocalRunner.Invocation;

/// <summary>How an invocation ended, as the host judges it: the worker's status, and its outputs delivered.</summary>
internal sealed record InvocationOutcome(string InvocationId, bool Succeeded, string? Error, TimeSpan Duration);
