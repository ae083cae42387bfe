namespace Rtgf.Pipeline.Messages;

/// <summary>
/// How long a publish request has been waiting: when it first had to wait (<see cref="Since"/>, the publisher's clock) and
/// how many times it has been re-queued. Carried in the message, so the wait survives restarts and costs no delivery count.
/// </summary>
public sealed record PublishWait(DateTimeOffset Since, int Attempts);
