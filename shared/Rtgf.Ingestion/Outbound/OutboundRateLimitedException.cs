namespace Rtgf.Ingestion.Outbound;

/// <summary>The per-host rate limit or concurrency queue is full: the request was not sent.</summary>
public sealed class OutboundRateLimitedException : Exception
{
    public OutboundRateLimitedException()
    {
    }

    public OutboundRateLimitedException(string message)
        : base(message)
    {
    }

    public OutboundRateLimitedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
