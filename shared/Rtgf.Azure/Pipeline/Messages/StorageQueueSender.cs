using System.Collections.Concurrent;
using Azure.Storage.Queues;
using Rtgf.Azure.Connections;
using Rtgf.Azure.Queues;
using Rtgf.Core.Telemetry;
using Rtgf.Pipeline.Messages;

namespace Rtgf.Azure.Pipeline.Messages;

/// <summary>
/// <see cref="IDelayedQueueSender"/> on Azure Storage queues: the message is sent with an initial visibility timeout, so
/// the queue trigger sees it only after the delay. The client must encode bodies as the trigger decodes them (host.json
/// <c>extensions.queues.messageEncoding</c>, <c>base64</c> here: <see cref="Encoding"/>). Bad input (queue name, a message over
/// 64 KiB once encoded, a delay over 7 days) is refused before anything is sent.
/// </summary>
public sealed class StorageQueueSender : IDelayedQueueSender
{
    /// <summary>The encoding host.json declares for queue triggers.</summary>
    public const QueueMessageEncoding Encoding = QueueMessageEncoding.Base64;

    private readonly QueueServiceClient _service;
    private readonly string _prefix;
    private readonly ConcurrentDictionary<string, CreatedOnFirstUse<QueueClient>> _queues = new(StringComparer.Ordinal);

    /// <param name="connection">The storage connection of the queue triggers.</param>
    /// <param name="prefix">Put before every queue name (isolated deployments sharing an account, as tables are prefixed).</param>
    public StorageQueueSender(StorageConnection connection, string prefix = "")
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(prefix);

        // The SDK does not expose a client's encoding, so the sender makes its own client rather than trust one it is given.
        _service = connection.Queues(new QueueClientOptions { MessageEncoding = Encoding });
        _prefix = prefix;
    }

    public async Task SendAsync(string queueName, string message, TimeSpan delay, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        QueueLimits.ValidateBase64Message(message);
        // The receiving function continues this trace (docs/spec/telemetry.md); a message that fits only without the
        // trace context goes without it rather than fail.
        var stamped = MessageTraceContext.Stamp(message);
        if (((System.Text.Encoding.UTF8.GetByteCount(stamped) + 2) / 3) * 4L <= QueueLimits.MaxMessageBytes)
        {
            message = stamped;
        }

        QueueLimits.ValidateDelay(delay);

        // The trigger's queue is normally there already; a fresh account may not have it yet.
        var queue = await _queues.GetOrAdd(_prefix + queueName, name => CreatedOnFirstUse.Queue(_service, name)).GetAsync(cancellationToken).ConfigureAwait(false);
        await queue.SendMessageAsync(message, delay, cancellationToken: cancellationToken).ConfigureAwait(false);
    }
}
