namespace Rtgf.Pipeline.Messages;

/// <summary>
/// Sends a message that becomes visible only after a delay. Output bindings cannot delay a message, so a stage that must
/// retry later (a publication that waits) sends its own delayed copy through this and completes the current delivery.
/// </summary>
public interface IDelayedQueueSender
{
    /// <summary>Sends <paramref name="message"/> (JSON) to <paramref name="queueName"/>, visible after <paramref name="delay"/>.</summary>
    Task SendAsync(string queueName, string message, TimeSpan delay, CancellationToken cancellationToken = default);
}
