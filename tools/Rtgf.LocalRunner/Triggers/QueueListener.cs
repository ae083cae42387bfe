using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using Rtgf.FunctionsHost.Functions;
using Rtgf.FunctionsHost.Triggers;
using Rtgf.LocalRunner.Hosting;
using Rtgf.LocalRunner.Invocation;

namespace Rtgf.LocalRunner.Triggers;

/// <summary>
/// A Storage queue trigger as the host's queue listener runs it (host.json <c>extensions.queues</c>): fetch up to
/// <c>batchSize</c> messages, each hidden while its invocation runs (renewed for long runs); success sends the outputs and
/// then deletes the message; failure makes it visible again after <c>visibilityTimeout</c>; a message that has failed
/// <c>maxDequeueCount</c> deliveries moves, body unchanged, to <c>&lt;queue&gt;-poison</c>. Delivery is at least once.
/// </summary>
internal sealed class QueueListener(
    HostedFunction function,
    QueueClient queue,
    QueueClient poisonQueue,
    QueueSettings settings,
    FunctionRunner runner,
    RunnerEvents events)
{
    /// <summary>How long a fetched message stays hidden while it runs; renewed at half (the host uses 10 minutes).</summary>
    public static readonly TimeSpan Hidden = TimeSpan.FromMinutes(1);

    private static readonly TimeSpan MinPollInterval = TimeSpan.FromMilliseconds(100);

    private readonly TimeProvider _time = runner.TimeProvider;

    public static string PoisonQueueName(string queueName) => queueName + "-poison";

    public async Task RunAsync(CancellationToken stop)
    {
        var concurrency = settings.Concurrency;
        using var slots = new SemaphoreSlim(concurrency, concurrency);
        var running = new List<Task>();
        var idle = MinPollInterval;
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
                    messages = (await queue.ReceiveMessagesAsync(Math.Min(free, settings.BatchSize), Hidden, stop).ConfigureAwait(false)).Value;
                }
                catch (Exception e) when (e is not OperationCanceledException || !stop.IsCancellationRequested)
                {
                    // Storage down, retries exhausted (AggregateException), a failing decoding handler: the loop keeps polling, backing off.
                    Warn("receive failed: " + Describe(e));
                    messages = [];
                }
                if (messages.Length == 0)
                {
                    await Task.Delay(idle, _time, stop).ConfigureAwait(false);
                    idle = TimeSpan.FromTicks(Math.Min(idle.Ticks * 2, Math.Max(settings.MaxPollingInterval.Ticks, MinPollInterval.Ticks)));
                    continue;
                }

                idle = MinPollInterval;
                foreach (var message in messages)
                {
                    // Already received, so already hidden: each one runs even if stopping has begun.
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

    /// <summary>Runs the function now on <paramref name="text"/> as if it had just been delivered (the admin API), without touching the queue.</summary>
    public Task<InvocationOutcome> RunNowAsync(string text, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        var delivery = new QueueDelivery(FunctionsHost.Invocation.InvocationIds.New(), FunctionsHost.Invocation.InvocationIds.New(), text, 1, now, now.AddDays(7), now);
        return runner.InvokeAsync(function, "queue", id => QueueInvocation.Create(function, id, delivery), cancellationToken, ("queue", queue.Name), ("manual", true));
    }

    private async Task ProcessAndReleaseAsync(QueueMessage message, SemaphoreSlim slots)
    {
        try
        {
            await ProcessAsync(message).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            // Whatever went wrong with one message, the listener goes on; the message is delivered again when its time is up.
            Warn($"message {message.MessageId}: {Describe(e)}");
        }
        finally
        {
            slots.Release();
        }
    }

    private async Task ProcessAsync(QueueMessage message)
    {
        var popReceipt = message.PopReceipt;

        // Already past the limit (a crash after the last failure): straight to the poison queue, as the host does.
        if (message.DequeueCount > settings.MaxDequeueCount)
        {
            await PoisonAsync(message, popReceipt).ConfigureAwait(false);
            return;
        }

        var delivery = new QueueDelivery(message.MessageId, message.PopReceipt, message.MessageText, message.DequeueCount, message.InsertedOn, message.ExpiresOn, message.NextVisibleOn);
        InvocationOutcome outcome;
        using (var renewing = new CancellationTokenSource())
        {
            var renewal = KeepHiddenAsync(message.MessageId, () => popReceipt, receipt => popReceipt = receipt, renewing.Token);
            try
            {
                outcome = await runner.InvokeAsync(
                    function,
                    "queue",
                    id => QueueInvocation.Create(function, id, delivery),
                    CancellationToken.None,
                    ("queue", queue.Name),
                    ("messageId", message.MessageId),
                    ("dequeueCount", message.DequeueCount)).ConfigureAwait(false);
            }
            finally
            {
                // Whatever happened, the renewal stops before its token source goes (else it renews forever).
                await renewing.CancelAsync().ConfigureAwait(false);
                await renewal.ConfigureAwait(false);
            }
        }

        if (!outcome.Delivered)
        {
            // The worker never ran it (gone, or going): not a failed delivery, so visible again at once and never poisoned.
            await queue.UpdateMessageAsync(message.MessageId, popReceipt, visibilityTimeout: TimeSpan.Zero).ConfigureAwait(false);
            return;
        }

        if (outcome.Succeeded)
        {
            // The outputs were sent first: a crash between the two delivers the message again, never loses its outputs.
            await queue.DeleteMessageAsync(message.MessageId, popReceipt).ConfigureAwait(false);
        }
        else if (message.DequeueCount >= settings.MaxDequeueCount)
        {
            await PoisonAsync(message, popReceipt).ConfigureAwait(false);
        }
        else
        {
            await queue.UpdateMessageAsync(message.MessageId, popReceipt, visibilityTimeout: settings.VisibilityTimeout).ConfigureAwait(false);
        }
    }

    private async Task PoisonAsync(QueueMessage message, string popReceipt)
    {
        // Body unchanged, then the original goes.
        await poisonQueue.CreateIfNotExistsAsync().ConfigureAwait(false);
        await poisonQueue.SendMessageAsync(message.Body).ConfigureAwait(false);
        await queue.DeleteMessageAsync(message.MessageId, popReceipt).ConfigureAwait(false);
        events.Emit(
            "poison",
            ("function", function.Name),
            ("queue", queue.Name),
            ("poisonQueue", poisonQueue.Name),
            ("messageId", message.MessageId),
            ("dequeueCount", message.DequeueCount));
    }

    private void Warn(string message) => events.Emit("warning", ("function", function.Name), ("queue", queue.Name), ("message", message));

    // The SDK wraps exhausted retries in an AggregateException whose own message says little.
    private static string Describe(Exception e) => (e is AggregateException { InnerExceptions.Count: > 0 } a ? a.InnerExceptions[^1] : e).Message.Split('\n')[0];

    // Keeps the message hidden while a long invocation runs.
    private async Task KeepHiddenAsync(string messageId, Func<string> current, Action<string> update, CancellationToken stop)
    {
        while (true)
        {
            try
            {
                await Task.Delay(Hidden / 2, _time, stop).ConfigureAwait(false);
                // Not cancellable once sent: an update the server applied must not lose its new pop receipt.
                var receipt = (await queue.UpdateMessageAsync(messageId, current(), visibilityTimeout: Hidden, cancellationToken: CancellationToken.None).ConfigureAwait(false)).Value;
                update(receipt.PopReceipt);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (Exception e)
            {
                Warn($"could not keep {messageId} hidden: {Describe(e)}");
                return;
            }
        }
    }
}
