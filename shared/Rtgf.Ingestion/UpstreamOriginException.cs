namespace Rtgf.Ingestion;

/// <summary>
/// An upstream pointed us at a URL off its configured origin (a link, a <c>next</c> page or a redirect): refused, not
/// fetched. Permanent: neither retried nor counted by the circuit breaker; the run fails with this message.
/// </summary>
public sealed class UpstreamOriginException : Exception
{
    public UpstreamOriginException()
    {
    }

    public UpstreamOriginException(string message)
        : base(message)
    {
    }

    public UpstreamOriginException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
