using System.Text;
using System.Text.Json;
using Rtgf.Azure.Billing;
using Rtgf.Pipeline.Access;
using Rtgf.Pipeline.Billing;
using Rtgf.Pipeline.Webhooks;
using Stripe;
using Stripe.Checkout;

namespace Rtgf.Functions.Billing;

/// <summary>
/// Applies Stripe's subscription events to billing accounts and API key plans (docs/spec/billing.md). The bus has verified
/// the signature; the event only says which subscription to look at: its current state is fetched from Stripe, so
/// duplicates, replays and any order of events converge on what Stripe says now. An event naming no known account is
/// recorded (table <c>billingaccounts</c>, partition <c>unmatched</c>) and logged, not retried; a Stripe failure throws
/// (a failed try: the bus retries). Other event types are logged and ignored.
/// </summary>
public sealed partial class StripeWebhookHandler(StripeConnection stripe, TableBillingAccountStore accounts, SubscriptionLedger ledger, BillingNotices notices, TimeProvider time, ILogger<StripeWebhookHandler> logger) : IWebhookHandler
{
    public const string KeyIdMetadata = "rtgf_key_id";
    public const string PlanMetadata = "rtgf_plan";

    public string Provider => "stripe";

    public async Task HandleAsync(WebhookEvent webhook, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(webhook);
        var stripeEvent = EventUtility.ParseEvent(Encoding.UTF8.GetString(webhook.Body.Span), throwOnApiVersionMismatch: false);
        if (stripeEvent.Type is not (EventTypes.CheckoutSessionCompleted or EventTypes.CustomerSubscriptionCreated or EventTypes.CustomerSubscriptionUpdated
            or EventTypes.CustomerSubscriptionDeleted or EventTypes.InvoicePaid or EventTypes.InvoicePaymentFailed))
        {
            // Not a billing event (refunds, charges, …): applied as nothing, without asking Stripe (or needing its key).
            LogIgnored(logger, stripeEvent.Id, stripeEvent.Type);
            return;
        }

        var client = stripe.Client ?? throw new InvalidOperationException(stripe.Problem);
        // The session fetched, not the event's copy: the subscription it started and the key it was for.
        var completed = stripeEvent.Type == EventTypes.CheckoutSessionCompleted && stripeEvent.Data.Object is Session session
            ? await new SessionService(client).GetAsync(session.Id, cancellationToken: cancellationToken).ConfigureAwait(false)
            : null;
        var invoiceId = stripeEvent.Type is EventTypes.InvoicePaid or EventTypes.InvoicePaymentFailed && stripeEvent.Data.Object is Invoice paidOrFailed ? paidOrFailed.Id : null;
        var (subscriptionId, keyHint) = stripeEvent.Type switch
        {
            EventTypes.CheckoutSessionCompleted when completed is not null => (completed.SubscriptionId, completed.ClientReferenceId),
            EventTypes.CustomerSubscriptionCreated or EventTypes.CustomerSubscriptionUpdated or EventTypes.CustomerSubscriptionDeleted
                when stripeEvent.Data.Object is Subscription subscription => (subscription.Id, null),
            EventTypes.InvoicePaid or EventTypes.InvoicePaymentFailed when stripeEvent.Data.Object is Invoice invoice =>
                (invoice.Parent?.SubscriptionDetails?.SubscriptionId, null),
            _ => (null, null),
        };

        if (subscriptionId is null)
        {
            LogIgnored(logger, stripeEvent.Id, stripeEvent.Type);
            return;
        }

        var subscriptions = new SubscriptionService(client);
        var first = await subscriptions.GetAsync(subscriptionId, cancellationToken: cancellationToken).ConfigureAwait(false);
        var named = first.Metadata is { } metadata && metadata.TryGetValue(KeyIdMetadata, out var value) && value.Length > 0 ? value : keyHint;
        // Metadata and client_reference_id are whatever was set in Stripe: only an API key id's shape is used as a Table key.
        var keyId = named is not null && ApiKeySecret.IsId(named) ? named : null;
        // One compare-and-swap decides the account from this subscription and, when there are two, the other's state too.
        var applied = keyId is null ? null : await ledger.ApplyAsync(keyId, subscriptionId, FetchAsync(subscriptions), stripeEvent.Id, cancellationToken).ConfigureAwait(false);
        if (applied is { ConflictSubscriptionId: { } conflict })
        {
            LogConflict(logger, applied.KeyId, applied.SubscriptionId ?? "-", conflict);
        }

        if (applied is null)
        {
            var reason = keyId is not null ? "no billing account for the key, or it is another customer's"
                : named is null ? "the subscription names no API key"
                : "the subscription's API key id is not one (not an rtgf key id)";
            LogUnmatched(logger, stripeEvent.Id, stripeEvent.Type, first.CustomerId ?? "-", reason);
            await accounts.RecordUnmatchedAsync(stripeEvent.Id, stripeEvent.Type, first.CustomerId, keyId, reason, time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
            return;
        }

        LogApplied(logger, stripeEvent.Id, stripeEvent.Type, applied.KeyId, applied.Status ?? "-", applied.Plan);

        // The emails follow the applied account and what Stripe says now (a late event sends nothing stale).
        if (completed is not null)
        {
            await notices.KeyIssuedAsync(client, completed, applied, cancellationToken).ConfigureAwait(false);
        }
        else if (invoiceId is not null)
        {
            await notices.InvoiceAsync(client, invoiceId, applied, cancellationToken).ConfigureAwait(false);
        }
        else if (stripeEvent.Type == EventTypes.CustomerSubscriptionUpdated && applied.SubscriptionId == subscriptionId && BillingRules.IsLive(applied.Status)
            && PreviousStatus(webhook.Body) is { } previous && !BillingRules.IsLive(previous))
        {
            // The subscription's first live event: a checkout.session.completed handled while it was still incomplete sent
            // no key-issued. The session that started it sends it now, under the same idempotency key (sent once either way).
            var started = await new SessionService(client).ListAsync(new SessionListOptions { Subscription = subscriptionId, Limit = 1 }, cancellationToken: cancellationToken).ConfigureAwait(false);
            if (started.Data is [var origin, ..])
            {
                await notices.KeyIssuedAsync(client, origin, applied, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// What Stripe says of a subscription now. Called inside the ledger's read-then-write, never a look before it: that
    /// may be older than the account.
    /// </summary>
    internal static Func<string, CancellationToken, Task<SubscriptionState>> FetchAsync(SubscriptionService subscriptions) =>
        async (id, ct) => StateOf(await subscriptions.GetAsync(id, cancellationToken: ct).ConfigureAwait(false));

    // data.previous_attributes.status of an *.updated event (the status it changed from), if the status changed.
    private static string? PreviousStatus(ReadOnlyMemory<byte> body)
    {
        using var document = JsonDocument.Parse(body);
        return document.RootElement.TryGetProperty("data", out var data) && data.ValueKind == JsonValueKind.Object
            && data.TryGetProperty("previous_attributes", out var previous) && previous.ValueKind == JsonValueKind.Object
            && previous.TryGetProperty("status", out var status) && status.ValueKind == JsonValueKind.String
            ? status.GetString()
            : null;
    }

    private static SubscriptionState StateOf(Subscription subscription) =>
        new(subscription.Id, subscription.CustomerId, subscription.Status, subscription.Items?.Data is [{ Price.Id: var price }, ..] ? price : null);

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Stripe event {EventId} ({EventType}) ignored: not a subscription event")]
    private static partial void LogIgnored(ILogger logger, string eventId, string eventType);

    [LoggerMessage(EventId = 2, Level = LogLevel.Warning, Message = "Stripe event {EventId} ({EventType}) for customer {CustomerId} matched no billing account: {Reason}; recorded, not retried")]
    private static partial void LogUnmatched(ILogger logger, string eventId, string eventType, string customerId, string reason);

    [LoggerMessage(EventId = 4, Level = LogLevel.Warning, Message = "API key {KeyId} has two live subscriptions: it follows {SubscriptionId}; {Conflict} is recorded on its billing account for an operator to refund or cancel")]
    private static partial void LogConflict(ILogger logger, string keyId, string subscriptionId, string conflict);

    [LoggerMessage(EventId = 3, Level = LogLevel.Information, Message = "Stripe event {EventId} ({EventType}) applied: key {KeyId}, subscription {Status}, plan {Plan}")]
    private static partial void LogApplied(ILogger logger, string eventId, string eventType, string keyId, string status, string plan);
}
