using Azure;
using Rtgf.Azure.Storage.Queues;
using Rtgf.Pipeline.Messages;

namespace Rtgf.Azure.Pipeline.Messages;

/// <summary>
/// <see cref="IDelayedQueueSender"/> on Azure Storage queues: the message is sent with an initial visibility timeout, so
/// the queue trigger sees it only after the delay. The client must encode bodies as the trigger decodes them (host.json
/// <c>extensions.queues.messageEncoding</c>, <c>base64</c> here: <see cref="Encoding"/>).
/// </summary>
public sealed class StorageQueueSender : IDelayedQueueSender
{
    /// <summary>The encoding host.json declares for queue triggers.</summary>
    public const QueueMessageEncoding Encoding = QueueMessageEncoding.Base64;

    private readonly QueueServiceClient _service;
    private readonly string _prefix;

    /// <param name="service">The queue service, with <see cref="Encoding"/>.</param>
    /// <param name="prefix">Put before every queue name (isolated deployments sharing an account, as tables are prefixed).</param>
    public StorageQueueSender(QueueServiceClient service, string prefix = "")
    {
        ArgumentNullException.ThrowIfNull(service);
        ArgumentNullException.ThrowIfNull(prefix);
        _service = service;
        _prefix = prefix;
    }

    public async Task SendAsync(string queueName, string message, TimeSpan delay, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        var queue = _service.GetQueueClient(_prefix + queueName);
        if (queue.MessageEncoding != Encoding)
        {
            throw new InvalidOperationException($"Queue '{queueName}' is written with {queue.MessageEncoding} encoding; its trigger reads {Encoding}.");
        }

        try
        {
            await queue.SendMessageAsync(message, delay, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            // The trigger's queue is normally there already; a fresh account may not have it yet.
            await queue.CreateIfNotExistsAsync(cancellationToken).ConfigureAwait(false);
            await queue.SendMessageAsync(message, delay, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
    }
}
