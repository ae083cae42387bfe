using System.Text.Json;

namespace Rtgf.Pipeline.Comms;

/// <summary>
/// Where the app asks for an email or SMS: one message on the <see cref="Queue"/> queue, sent later by the <c>comms</c>
/// queue function. Nothing on a request path or in a webhook handler talks to Resend or Cellcast directly, so a slow or
/// failing provider never fails the caller, and the sender's retries and poison handling cover every message.
/// </summary>
public sealed class CommsOutbox(Messages.IDelayedQueueSender queues)
{
    public const string Queue = "rtgf-comms";

    public Task EnqueueAsync(CommsRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentException.ThrowIfNullOrWhiteSpace(request.Template);
        ArgumentException.ThrowIfNullOrWhiteSpace(request.To);
        ArgumentException.ThrowIfNullOrWhiteSpace(request.IdempotencyKey);
        return queues.SendAsync(Queue, JsonSerializer.Serialize(request, CommsJson.Default.CommsRequest), TimeSpan.Zero, cancellationToken);
    }
}
