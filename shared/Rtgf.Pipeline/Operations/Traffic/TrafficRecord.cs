namespace Rtgf.Pipeline.Operations.Traffic;

/// <summary>
/// One HTTP request as the traffic log keeps it (docs/spec/operations.md#traffic): when it arrived (UTC), the function's
/// route TEMPLATE (never the path as sent, so no codes or tokens from the path), the method, the status answered, how long
/// it took, who called (an API key's public id, or <c>anon-…</c>: a keyed hash of the client address that changes every UTC
/// day) and under which plan, and the body sizes. Never a key, token, query string or header.
/// </summary>
public sealed record TrafficRecord(
    DateTimeOffset At,
    string Route,
    string Method,
    int Status,
    long DurationMicroseconds,
    string Caller,
    string Plan,
    long RequestBytes,
    long ResponseBytes)
{
    /// <summary>The plan of a caller without an API key.</summary>
    public const string AnonymousPlan = "anonymous";

    /// <summary>The caller when the client could not be hashed (no hash key configured).</summary>
    public const string AnonymousCaller = "anonymous";

    /// <summary><c>2xx</c> … <c>5xx</c> (anything outside 100–599 counts as <c>5xx</c>: the app answered something broken).</summary>
    public string StatusClass => TrafficDays.StatusClass(Status);
}

/// <summary>What one writer could not log: records refused because its channel was full, and records whose write failed.</summary>
public sealed record TrafficDrop(DateTimeOffset At, long Full, long Failed)
{
    public long Total => Full + Failed;
}
