namespace Rtgf.CustomHandler.Hosting;

/// <summary>Stable RFC 9457 <c>type</c> URIs for the handler's own problems (listed in docs/spec/api.md).</summary>
public static class ProblemTypes
{
    public const string InvalidInvocation = "urn:rtgf:problem:invalid-invocation";
    public const string InvocationFailed = "urn:rtgf:problem:invocation-failed";
    public const string InvocationCancelled = "urn:rtgf:problem:invocation-cancelled";
}
