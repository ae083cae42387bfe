namespace Rtgf.Pipeline.Publishing;

/// <summary>
/// The publication must wait and will succeed later: not a failure. The publish stage re-queues the request with a delay
/// instead of failing the delivery (docs/spec/publication.md, ADR 0014). <see cref="RetryAt"/>, when known, is the earliest
/// time a retry can succeed.
/// </summary>
public sealed class PublicationWaitException : Exception
{
    public PublicationWaitException()
    {
    }

    public PublicationWaitException(string message)
        : base(message)
    {
    }

    public PublicationWaitException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public PublicationWaitException(PublicationWaitReason reason, string message, DateTimeOffset? retryAt = null)
        : base(message)
    {
        Reason = reason;
        RetryAt = retryAt;
    }

    public PublicationWaitException(PublicationWaitReason reason, string message, Exception innerException)
        : base(message, innerException)
    {
        Reason = reason;
    }

    public PublicationWaitReason Reason { get; }

    public DateTimeOffset? RetryAt { get; }
}
