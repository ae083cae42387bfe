namespace Rtgf.Pipeline.Webhooks;

/// <summary>Where an accepted webhook is (the <c>webhooks</c> table's <c>State</c>).</summary>
public static class WebhookStates
{
    /// <summary>Stored; its queue message may not have been sent (a crash in between): a duplicate or the sweep sends it.</summary>
    public const string Received = "received";

    /// <summary>Its queue message was sent (again, for a replay); the dispatcher has not finished it.</summary>
    public const string Enqueued = "enqueued";

    /// <summary>The provider's handler applied it.</summary>
    public const string Applied = "applied";

    /// <summary>No handler is registered for its provider: kept, not retried (an operator can replay it once there is one).</summary>
    public const string Unhandled = "unhandled";

    /// <summary>The handler failed on every try; the message went to the poison queue. An operator can replay it.</summary>
    public const string Poisoned = "poisoned";

    public static IReadOnlyList<string> All { get; } = [Received, Enqueued, Applied, Unhandled, Poisoned];
}

/// <summary>One accepted webhook, once per (provider, event id): what the operator routes list.</summary>
/// <param name="Provider">The provider's route name.</param>
/// <param name="EventId">The provider's event id.</param>
/// <param name="EventType">The provider's event type.</param>
/// <param name="ReceivedAt">When the bus first accepted it.</param>
/// <param name="BodyDigest">SHA-256 of the raw body, lowercase hex (the blob <c>sha256/&lt;hex&gt;</c>).</param>
/// <param name="BodyLength">The raw body's length in bytes.</param>
/// <param name="State">One of <see cref="WebhookStates"/>.</param>
/// <param name="Tries">Handler calls that failed or succeeded since the last (re)enqueue.</param>
/// <param name="LastError">The last failed try's exception type and message (cut short; handlers keep secrets out of messages).</param>
/// <param name="UpdatedAt">When the record last changed.</param>
/// <param name="AppliedAt">When the handler last applied it.</param>
/// <param name="Replays">How many times an operator replayed it.</param>
/// <param name="LastReplayBy">The operator of the last replay.</param>
/// <param name="Note">Something recorded at acceptance (a Stripe API version other than the client's).</param>
public sealed record WebhookRecord(
    string Provider,
    string EventId,
    string EventType,
    DateTimeOffset ReceivedAt,
    string BodyDigest,
    long BodyLength,
    string State,
    int Tries,
    string? LastError,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? AppliedAt,
    int Replays,
    string? LastReplayBy,
    string? Note);

/// <summary>A record with the version (ETag) a compare-and-swap needs.</summary>
public sealed record StoredWebhook(WebhookRecord Record, string ETag);

/// <summary>A page of records in (provider, event id) order and where the next one starts.</summary>
public sealed record WebhookPage(IReadOnlyList<WebhookRecord> Records, string? Continuation);

/// <summary>The queue message: which record to dispatch (the body stays in Blob), and the record's replay count when sent
/// (a poisoned message of an earlier run leaves a replayed record alone; null, a message sent without it, matches any run).</summary>
public sealed record WebhookMessage(string Provider, string EventId, int? Replays = null);
