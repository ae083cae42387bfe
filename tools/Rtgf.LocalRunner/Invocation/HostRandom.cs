namespace Rtgf.LocalRunner.Invocation;

/// <summary>
/// The random identifiers the host puts on every invocation (<c>X-Azure-Functions-InvocationId</c>,
/// <c>sys.RandGuid</c>). Allow-listed for the banned-API analyzer: the runner is a host, not part of the
/// deterministic pipeline.
/// </summary>
internal static class HostRandom
{
    public static string NewId() => Guid.NewGuid().ToString("D");
}
