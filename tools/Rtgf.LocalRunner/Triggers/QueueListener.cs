using Azure;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using Rtgf.CustomHandler.Metadata;
using Rtgf.LocalRunner.Invocation;

namespace Rtgf.LocalRunner.Triggers;

/// <summary>How a queue trigger treats deliveries.</summary>
internal sealed record QueueListenerOptions(
    bool IsServiceBus,
    int MaxDeliveryCount,
    int Concurrency,
    TimeSpan LockDuration,
    TimeSpan RetryDelay,
    TimeSpan MinPollInterval,
    TimeSpan MaxPollInterval);

/// <summary>
/// Delivers messages from a Storage queue to a queue-triggered function with the broker's semantics: a message
/// is locked (hidden) while its invocation runs and the lock is renewed; success completes (deletes) it; failure
/// abandons it for redelivery; after the maximum delivery count it moves, body unchanged, to the dead-letter
/// queue (Service Bus) or poison queue (Storage). Delivery is at least once.
/// </summary>
internal sealed class QueueListener(
    FunctionMetadata function,
    QueueClient queue,
    QueueClient deadLetterQueue,
    QueueListenerOptions options,
    FunctionInvoker invoker,
    RunnerEvents events)
{
    /// <summary>The most messages one Get Messages call returns.</summary>
    private const int MaxMessagesPerReceive = 32;

    private readonly TimeProvider _time = invoker.TimeProvider;

    public async Task RunAsync(CancellationToken stop)
    {
        using var slots = new SemaphoreSlim(options.Concurrency, options.Concurrency);
        var running = new List<Task>();
        var idle = options.MinPollInterval;
        try
        {
            while (!stop.IsCancellationRequested)
            {
                await slots.WaitAsync(stop).ConfigureAwait(false);
                var free = slots.CurrentCount + 1;
                slots.Release();

                QueueMessage[] messages;
                try
                {
                    messages = (await queue.ReceiveMessagesAsync(Math.Min(free, MaxMessagesPerReceive), options.LockDuration, stop).ConfigureAwait(false)).Value;
                }
                catch (RequestFailedException e)
                {
                    events.Emit("warning", ("function", function.Name), ("queue", queue.Name), ("message", "receive failed: " + e.Message.Split('\n')[0]));
                    messages = [];
                }

                if (messages.Length == 0)
                {
                    await Task.Delay(idle, _time, stop).ConfigureAwait(false);
                    idle = TimeSpan.FromTicks(Math.Min(idle.Ticks * 2, options.MaxPollInterval.Ticks));
                    continue;
                }

                idle = options.MinPollInterval;
                foreach (var message in messages)
                {
                    // Already received, so already locked: each one runs even if stopping has begun.
                    await slots.WaitAsync(CancellationToken.None).ConfigureAwait(false);
                    running.RemoveAll(t => t.IsCompleted);
                    running.Add(ProcessAndReleaseAsync(message, slots));
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Stopping: messages already received finish below; the rest stay on the queue.
        }

        await Task.WhenAll(running).ConfigureAwait(false);
    }

    private async Task ProcessAndReleaseAsync(QueueMessage message, SemaphoreSlim slots)
    {
        try
        {
            await ProcessAsync(message).ConfigureAwait(false);
        }
        catch (Exception e) when (e is RequestFailedException or RunnerException or HttpRequestException)
        {
            events.Emit("warning", ("function", function.Name), ("queue", queue.Name), ("message", $"message {message.MessageId}: {e.Message.Split('\n')[0]}"));
        }
        finally
        {
            slots.Release();
        }
    }

    private async Task ProcessAsync(QueueMessage message)
    {
        var popReceipt = message.PopReceipt;
        using var renewing = new CancellationTokenSource();
        var renewal = RenewLockAsync(message.MessageId, () => popReceipt, receipt => popReceipt = receipt, renewing.Token);

        // The service always returns these times; the SDK types them as optional.
        var now = _time.GetUtcNow();
        var delivered = new DeliveredMessage(message.MessageText, message.MessageId, message.PopReceipt, message.DequeueCount, message.InsertedOn ?? now, message.ExpiresOn ?? now, message.NextVisibleOn ?? now);
        var trigger = options.IsServiceBus ? "serviceBus" : "queue";
        var outcome = await invoker.InvokeAsync(
            function,
            trigger,
            (now, rand) => HostEnvelopes.QueueMessage(options.IsServiceBus, function.Name, function.Trigger.Name, delivered, now, rand),
            CancellationToken.None,
            ("queue", queue.Name),
            ("messageId", message.MessageId),
            ("deliveryCount", message.DequeueCount)).ConfigureAwait(false);

        await renewing.CancelAsync().ConfigureAwait(false);
        await renewal.ConfigureAwait(false);

        if (outcome.Succeeded)
        {
            await queue.DeleteMessageAsync(message.MessageId, popReceipt).ConfigureAwait(false);
        }
        else if (message.DequeueCount >= options.MaxDeliveryCount)
        {
            // Body unchanged, as a broker dead-letters it; then the original goes.
            await deadLetterQueue.SendMessageAsync(message.Body).ConfigureAwait(false);
            await queue.DeleteMessageAsync(message.MessageId, popReceipt).ConfigureAwait(false);
            events.Emit(
                "dead-letter",
                ("function", function.Name),
                ("queue", queue.Name),
                ("deadLetterQueue", deadLetterQueue.Name),
                ("messageId", message.MessageId),
                ("deliveryCount", message.DequeueCount),
                ("reason", options.IsServiceBus ? "MaxDeliveryCountExceeded" : "MaxDequeueCountExceeded"));
        }
        else
        {
            await queue.UpdateMessageAsync(message.MessageId, popReceipt, visibilityTimeout: options.RetryDelay).ConfigureAwait(false);
        }
    }

    // Keeps the message hidden while a long invocation runs (the broker's lock renewal).
    private async Task RenewLockAsync(string messageId, Func<string> current, Action<string> update, CancellationToken stop)
    {
        var interval = options.LockDuration / 2;
        while (true)
        {
            try
            {
                await Task.Delay(interval, _time, stop).ConfigureAwait(false);
                // Not cancellable once sent: a renewal the server applied must not lose its new pop receipt.
                var receipt = (await queue.UpdateMessageAsync(messageId, current(), visibilityTimeout: options.LockDuration, cancellationToken: CancellationToken.None).ConfigureAwait(false)).Value;
                update(receipt.PopReceipt);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (RequestFailedException e)
            {
                events.Emit("warning", ("function", function.Name), ("message", $"could not renew the lock on {messageId}: {e.Message.Split('\n')[0]}"));
                return;
            }
        }
    }
}
