namespace Rtgf.Transparency.Entries;

/// <summary>Entry bytes the log refuses (too large, not JSON, unknown type).</summary>
public sealed class InvalidLogEntryException(string message) : ArgumentException(message);
