namespace Rtgf.Pipeline.Webhooks;

/// <summary>What one delivery of a queue message did.</summary>
public enum WebhookDispatch
{
    /// <summary>The handler applied the event.</summary>
    Applied,

    /// <summary>The event was applied before (a second message of one event): nothing to do.</summary>
    AlreadyDone,

    /// <summary>No handler is registered for the provider: recorded, not retried.</summary>
    Unhandled,

    /// <summary>No record has that key (never accepted): completed, nothing to apply.</summary>
    Missing,
}

/// <summary>
/// The dispatching half of the bus (the <c>webhooks</c> queue function): reads the record and the raw body, calls the
/// provider's <see cref="IWebhookHandler"/>, marks the record applied by compare-and-swap. A handler's exception is recorded
/// (tries, last error) and rethrown, so the host retries the message; on the host's last delivery
/// (<see cref="WebhookOptions.MaxTries"/>) the record is marked poisoned as the host moves the message to the poison queue.
/// </summary>
public sealed class WebhookDispatcher(IWebhookStore store, IWebhookBodyStore bodies, IEnumerable<IWebhookHandler> handlers, WebhookOptions options, TimeProvider time)
{
    /// <summary>The longest last error kept on a record.</summary>
    public const int MaxErrorLength = 500;

    private readonly Dictionary<string, IWebhookHandler> _handlers = ByProvider(handlers);

    /// <summary>
    /// The handlers by provider. Two for one provider is a composition mistake (which would apply the event?), refused
    /// with a message naming both; the app checks this at startup (<c>WebhookServices</c>).
    /// </summary>
    public static Dictionary<string, IWebhookHandler> ByProvider(IEnumerable<IWebhookHandler> handlers)
    {
        ArgumentNullException.ThrowIfNull(handlers);
        var byProvider = new Dictionary<string, IWebhookHandler>(StringComparer.Ordinal);
        foreach (var handler in handlers)
        {
            if (!byProvider.TryAdd(handler.Provider, handler))
            {
                throw new InvalidOperationException(
                    $"Two webhook handlers for provider '{handler.Provider}': {byProvider[handler.Provider].GetType().Name} and {handler.GetType().Name}. " +
                    "Register one IWebhookHandler per provider (a test replacing a handler removes the app's first).");
            }
        }

        return byProvider;
    }

    /// <param name="message">The queue message.</param>
    /// <param name="dequeueCount">The host's delivery count of this message (1 on the first delivery).</param>
    /// <param name="cancellationToken">Cancels the dispatch.</param>
    public async Task<WebhookDispatch> DispatchAsync(WebhookMessage message, long dequeueCount, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (await store.GetAsync(message.Provider, message.EventId, cancellationToken).ConfigureAwait(false) is not { } stored)
        {
            return WebhookDispatch.Missing;
        }

        var record = stored.Record;
        if (!IsOpen(record.State))
        {
            return WebhookDispatch.AlreadyDone; // applied, unhandled or poisoned: only a replay (back to received) runs it again
        }

        // This dispatch owns the record's state only while no replay happened and nothing else finished it: a replay
        // (Replays moved on) has its own message and run, and an applied record is never turned poisoned.
        var replays = record.Replays;
        bool Owned(WebhookRecord r) => r.Replays == replays && IsOpen(r.State);

        // A message sent before a replay may still run the handler (handlers are idempotent) but never poisons the replay's
        // run: that run has its own message and its own tries. A message without the count (older) matches any run.
        bool OfThisRun(WebhookRecord r) => message.Replays is null || message.Replays == r.Replays;
        try
        {
            if (!_handlers.TryGetValue(record.Provider, out var handler))
            {
                await UpdateAsync(record, r => Owned(r) ? r with { State = WebhookStates.Unhandled, UpdatedAt = time.GetUtcNow() } : r, cancellationToken).ConfigureAwait(false);
                return WebhookDispatch.Unhandled;
            }

            var body = await bodies.GetAsync(record.BodyDigest, cancellationToken).ConfigureAwait(false)
                ?? throw new InvalidOperationException($"The body {record.BodyDigest} of webhook {record.Provider}/{record.EventId} is missing.");
            await handler.HandleAsync(new WebhookEvent(record.Provider, record.EventId, record.EventType, record.ReceivedAt, record.BodyDigest, body), cancellationToken).ConfigureAwait(false);
            // Poisoned meanwhile by the poison-queue function for a sibling message of this run (the sweep re-sent it while
            // the first was failing): the event is applied now, so the record says so.
            await UpdateAsync(record, r => Owned(r) || (r.Replays == replays && r.State == WebhookStates.Poisoned)
                ? r with { State = WebhookStates.Applied, Tries = r.Tries + 1, AppliedAt = time.GetUtcNow(), UpdatedAt = time.GetUtcNow() }
                : r with { Tries = r.Tries + 1, UpdatedAt = time.GetUtcNow() }, cancellationToken).ConfigureAwait(false);
            return WebhookDispatch.Applied;
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            // Whatever failed (the body, the handler, the final update): a failed try, recorded, and poisoned on the last one.
            // If this update fails too, the poison-queue function (MarkPoisonedAsync) is the backstop.
            var last = dequeueCount >= options.MaxTries;
            await UpdateAsync(record, r => r with
            {
                State = last && Owned(r) && OfThisRun(r) ? WebhookStates.Poisoned : r.State,
                Tries = r.Tries + 1,
                LastError = Describe(e),
                UpdatedAt = time.GetUtcNow(),
            }, cancellationToken).ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// The <c>webhooks-poison</c> function's step: the host moved the message to the poison queue, so a record still
    /// <c>received</c>/<c>enqueued</c> of the same replay is marked poisoned (conditional write). Whatever left it open
    /// (the record or body unreadable, the last update failing, the worker dying on the last delivery), it is visible.
    /// </summary>
    public async Task<WebhookRecord?> MarkPoisonedAsync(WebhookMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        return await WebhookRecords.UpdateAsync(store, message.Provider, message.EventId, r => IsOpen(r.State) && (message.Replays is null || r.Replays == message.Replays)
            ? r with
            {
                State = WebhookStates.Poisoned,
                LastError = r.LastError ?? "The message reached the poison queue without a recorded failure.",
                UpdatedAt = time.GetUtcNow(),
            }
            : r, cancellationToken).ConfigureAwait(false);
    }

    private static bool IsOpen(string state) => state is WebhookStates.Received or WebhookStates.Enqueued;

    /// <summary>The exception's type and message, cut short: what an operator sees (handlers keep secrets out of messages).</summary>
    public static string Describe(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var text = exception.GetType().Name + ": " + exception.Message;
        return text.Length <= MaxErrorLength ? text : text[..MaxErrorLength];
    }

    private Task<WebhookRecord?> UpdateAsync(WebhookRecord record, Func<WebhookRecord, WebhookRecord> change, CancellationToken cancellationToken) =>
        WebhookRecords.UpdateAsync(store, record.Provider, record.EventId, change, cancellationToken);
}
