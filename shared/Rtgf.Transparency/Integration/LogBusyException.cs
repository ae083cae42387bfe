namespace Rtgf.Transparency.Integration;

/// <summary>Another writer holds the log's lease: nothing was written; try again later (a wait, not a failure).</summary>
public sealed class LogBusyException(string message) : InvalidOperationException(message);
