using Microsoft.Azure.Functions.Worker;
using Rtgf.Azure.Queues;
using Rtgf.Core.Telemetry;
using Rtgf.Pipeline.Webhooks;

namespace Rtgf.Functions.Workers;

/// <summary>
/// <c>webhooks</c>: dispatches an accepted webhook to its provider's handler (<see cref="WebhookDispatcher"/>; a failure is
/// retried by the host and poisoned after <c>maxDequeueCount</c> deliveries). <c>webhooks-poison</c>: marks the record of a
/// poisoned message poisoned. <c>webhooks-sweep</c>: sends the message of
/// records a crash left stored but not queued.
/// </summary>
public sealed class WebhookFunction(WebhookDispatcher dispatcher, WebhookInbox inbox, QueueBacklog backlog, ILogger<WebhookFunction> logger)
{
    /// <summary>The most stuck records one sweep sends (the rest wait for the next run).</summary>
    public const int SweepBatch = 500;

    [Function("webhooks")]
    public async Task Dispatch([QueueTrigger(WebhookOptions.Queue, Connection = QueueMessages.Connection)] string message, long dequeueCount, CancellationToken cancellationToken)
    {
        var webhook = QueueMessages.Read(message, WebhookJson.Default.WebhookMessage);
        var outcome = await dispatcher.DispatchAsync(webhook, dequeueCount, cancellationToken).ConfigureAwait(false);
        logger.Outcome(() => $"webhooks: {webhook.Provider}/{webhook.EventId}: {outcome}.");
    }

    /// <summary>
    /// The host moved a message to the poison queue: its record, if still open, is marked poisoned, whatever failure left
    /// it open. The trigger then deletes the message: the record and its stored body are what an operator lists and replays.
    /// </summary>
    [Function("webhooks-poison")]
    public async Task Poisoned([QueueTrigger(WebhookOptions.PoisonQueue, Connection = QueueMessages.Connection)] string message, CancellationToken cancellationToken)
    {
        var webhook = QueueMessages.Read(message, WebhookJson.Default.WebhookMessage);
        var record = await dispatcher.MarkPoisonedAsync(webhook, cancellationToken).ConfigureAwait(false);
        logger.Outcome(() => $"webhooks-poison: {webhook.Provider}/{webhook.EventId}: {record?.State ?? "no record"}.");
    }

    [Function("webhooks-sweep")]
    public async Task Sweep([TimerTrigger("%" + WebhookOptions.SweepScheduleSetting + "%")] TimerInfo timer, CancellationToken cancellationToken)
    {
        var sent = await inbox.SweepAsync(SweepBatch, cancellationToken).ConfigureAwait(false);
        logger.Outcome(() => $"webhooks-sweep: {sent} stuck webhook(s) queued again.");

        // The backlog the dispatcher has yet to work through (rtgf.webhook.backlog), measured on the sweep's schedule.
        RtgfMetrics.WebhookBacklogCount.Record(await backlog.CountAsync(WebhookOptions.Queue, cancellationToken).ConfigureAwait(false));
    }
}
