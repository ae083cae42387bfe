namespace Rtgf.FunctionsHost.Invocation;

/// <summary>Invocation ids are random GUIDs, as the real host makes them (allow-listed: the host is not the deterministic pipeline).</summary>
public static class InvocationIds
{
    public static string New() => Guid.NewGuid().ToString("D");
}
