namespace Rtgf.Ingestion;

/// <summary>
/// An upstream answered with a redirect the outbound pipeline does not follow: any redirect of a request that carries
/// credentials or a body (following it would resend them), a redirect without <c>Location</c>, or too many hops.
/// Permanent: neither retried nor counted by the circuit breaker; point the configuration at the final URL.
/// </summary>
public sealed class UpstreamRedirectException : Exception
{
    public UpstreamRedirectException()
    {
    }

    public UpstreamRedirectException(string message)
        : base(message)
    {
    }

    public UpstreamRedirectException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
