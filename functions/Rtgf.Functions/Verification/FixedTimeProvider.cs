namespace Rtgf.Functions.Verification;

/// <summary>A clock stopped at the instant a caller asked to verify at (<c>"at"</c> in a verify request).</summary>
internal sealed class FixedTimeProvider(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now;
}
