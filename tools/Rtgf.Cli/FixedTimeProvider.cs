namespace Rtgf.Cli;

/// <summary>A clock stopped at one instant: <c>verify-token --at</c> checks a token as of that time.</summary>
internal sealed class FixedTimeProvider(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now;
}
