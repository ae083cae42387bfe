namespace Rtgf.Functions.Comms;

/// <summary>What a failed send means for the message.</summary>
public enum CommsFailure
{
    /// <summary>Certainly not sent, and may succeed later (429, 5xx, the provider not configured or refusing our key).</summary>
    Retry,

    /// <summary>Not sent, and never will be by retrying (the provider refused the message itself: 400, 422, …).</summary>
    Permanent,

    /// <summary>May have been sent (no answer, a cut or unreadable answer): only a provider idempotency key makes a retry safe.</summary>
    Ambiguous,
}

/// <summary>A send that failed, what that means (<see cref="Failure"/>), and a message that names no secret and no full address.</summary>
public sealed class CommsSendException : Exception
{
    public CommsSendException()
    {
    }

    public CommsSendException(string message)
        : base(message)
    {
    }

    public CommsSendException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public CommsSendException(string message, CommsFailure failure, Exception? innerException = null)
        : base(message, innerException)
    {
        Failure = failure;
    }

    public CommsFailure Failure { get; }
}
