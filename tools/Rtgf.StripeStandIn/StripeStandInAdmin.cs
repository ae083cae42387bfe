using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Rtgf.StripeStandIn;

/// <summary>
/// A client for the stand-in's scenario admin API (<c>/_standin/…</c>): what the customer and time do, faults, and
/// events with fresh signatures. Answers are the objects as Stripe would render them. The caller owns the HttpClient.
/// </summary>
public sealed class StripeStandInAdmin(HttpClient http)
{
    /// <summary>The customer pays: an active subscription, a paid invoice; <c>checkout.session.completed</c>, <c>customer.subscription.created</c>, <c>invoice.paid</c>.</summary>
    public Task<JsonObject> CompleteCheckoutSessionAsync(string sessionId, CancellationToken cancellationToken = default) =>
        PostAsync($"_standin/checkout/sessions/{Uri.EscapeDataString(sessionId)}/complete", null, cancellationToken);

    /// <summary>As <see cref="CompleteCheckoutSessionAsync(string, CancellationToken)"/>, the payer entering <paramref name="email"/> on the page (<c>customer_details.email</c>).</summary>
    public Task<JsonObject> CompleteCheckoutSessionAsync(string sessionId, string email, CancellationToken cancellationToken = default) =>
        PostAsync($"_standin/checkout/sessions/{Uri.EscapeDataString(sessionId)}/complete", new JsonObject { ["email"] = email }, cancellationToken);

    /// <summary>
    /// The payer finishes the page but the payment is still being confirmed: an <c>incomplete</c> subscription with an open
    /// invoice (<see cref="RecoverAsync"/> pays it: <c>active</c>); <c>checkout.session.completed</c>, <c>customer.subscription.created</c>.
    /// </summary>
    public Task<JsonObject> CompleteCheckoutSessionPendingAsync(string sessionId, string email, CancellationToken cancellationToken = default) =>
        PostAsync($"_standin/checkout/sessions/{Uri.EscapeDataString(sessionId)}/complete", new JsonObject { ["email"] = email, ["payment"] = "pending" }, cancellationToken);

    /// <summary>The next period's payment fails: <c>invoice.payment_failed</c>, <c>past_due</c>, <c>customer.subscription.updated</c>.</summary>
    public Task<JsonObject> FailNextPaymentAsync(string subscriptionId, CancellationToken cancellationToken = default) =>
        PostAsync($"_standin/subscriptions/{Uri.EscapeDataString(subscriptionId)}/fail-payment", null, cancellationToken);

    /// <summary>Stripe's retry of the open invoice fails again: <c>attempt_count</c> + 1, <c>invoice.payment_failed</c>.</summary>
    public Task<JsonObject> RetryFailsAsync(string subscriptionId, CancellationToken cancellationToken = default) =>
        PostAsync($"_standin/subscriptions/{Uri.EscapeDataString(subscriptionId)}/retry-fails", null, cancellationToken);

    /// <summary>The open invoice is paid after all: <c>invoice.paid</c>, <c>active</c>, <c>customer.subscription.updated</c>.</summary>
    public Task<JsonObject> RecoverAsync(string subscriptionId, CancellationToken cancellationToken = default) =>
        PostAsync($"_standin/subscriptions/{Uri.EscapeDataString(subscriptionId)}/recover", null, cancellationToken);

    /// <summary>The subscription moves to another price: <c>customer.subscription.updated</c>.</summary>
    public Task<JsonObject> ChangePriceAsync(string subscriptionId, string priceId, CancellationToken cancellationToken = default) =>
        PostAsync($"_standin/subscriptions/{Uri.EscapeDataString(subscriptionId)}/change-price", new JsonObject { ["price"] = priceId }, cancellationToken);

    /// <summary>The subscription ends now: <c>customer.subscription.deleted</c>.</summary>
    public Task<JsonObject> CancelAsync(string subscriptionId, CancellationToken cancellationToken = default) =>
        PostAsync($"_standin/subscriptions/{Uri.EscapeDataString(subscriptionId)}/cancel", null, cancellationToken);

    /// <summary>A period passes and is paid; answers the new invoice: <c>invoice.paid</c>, <c>customer.subscription.updated</c>.</summary>
    public Task<JsonObject> AdvancePeriodAsync(string subscriptionId, CancellationToken cancellationToken = default) =>
        PostAsync($"_standin/subscriptions/{Uri.EscapeDataString(subscriptionId)}/advance", null, cancellationToken);

    /// <summary>A paid invoice's charge is refunded (all of what is left, or <paramref name="amount"/>); answers the charge: <c>charge.refunded</c>.</summary>
    public Task<JsonObject> RefundAsync(string invoiceId, long? amount = null, CancellationToken cancellationToken = default) =>
        PostAsync($"_standin/invoices/{Uri.EscapeDataString(invoiceId)}/refund", new JsonObject { ["amount"] = amount }, cancellationToken);

    /// <summary>The next <paramref name="count"/> API requests under <paramref name="path"/> misbehave (0: until cleared).</summary>
    public Task<JsonObject> AddFaultAsync(string path, StripeFaultMode mode, int count = 1, CancellationToken cancellationToken = default) =>
        PostAsync("_standin/faults", new JsonObject
        {
            ["path"] = path,
            ["mode"] = mode switch
            {
                StripeFaultMode.RateLimit => "rate_limit",
                StripeFaultMode.ServerError => "server_error",
                StripeFaultMode.CardDeclined => "card_declined",
                StripeFaultMode.InProgress => "in_progress",
                _ => "hang",
            },
            ["count"] = count,
        }, cancellationToken);

    public async Task ClearFaultsAsync(CancellationToken cancellationToken = default)
    {
        using var response = await http.DeleteAsync(new Uri("_standin/faults", UriKind.Relative), cancellationToken).ConfigureAwait(false);
        response.EnsureSuccessStatusCode();
    }

    /// <summary>The faults still in force (a counted one disappears once used up).</summary>
    public async Task<IReadOnlyList<JsonObject>> FaultsAsync(CancellationToken cancellationToken = default)
    {
        var list = await GetAsync("_standin/faults", cancellationToken).ConfigureAwait(false);
        return [.. list["data"]!.AsArray().Select(f => f!.AsObject())];
    }

    /// <summary>
    /// Holds the first API request under <paramref name="path"/> (after letting <paramref name="skip"/> through): it is
    /// answered from the state at its arrival, but only once released (<see cref="ReleaseHoldAsync"/>). Answers the hold's id.
    /// </summary>
    public async Task<string> HoldAsync(string path, int skip = 0, CancellationToken cancellationToken = default) =>
        (string)(await PostAsync("_standin/holds", new JsonObject { ["path"] = path, ["skip"] = skip }, cancellationToken).ConfigureAwait(false))["id"]!;

    /// <summary>Waits until the hold has caught a request; answers it (<c>GET /v1/subscriptions/sub_…</c>).</summary>
    public async Task<string> HoldReachedAsync(string holdId, CancellationToken cancellationToken = default) =>
        (string)(await PostAsync($"_standin/holds/{Uri.EscapeDataString(holdId)}/reached", null, cancellationToken).ConfigureAwait(false))["reached"]!;

    /// <summary>Lets the held request answer (or, if none was caught yet, disarms the hold).</summary>
    public Task<JsonObject> ReleaseHoldAsync(string holdId, CancellationToken cancellationToken = default) =>
        PostAsync($"_standin/holds/{Uri.EscapeDataString(holdId)}/release", null, cancellationToken);

    /// <summary>Every Stripe API request received so far, in order (admin requests not included).</summary>
    public async Task<IReadOnlyList<StandInRequest>> RequestsAsync(CancellationToken cancellationToken = default)
    {
        var list = await GetAsync("_standin/requests", cancellationToken).ConfigureAwait(false);
        return [.. list["data"]!.AsArray().Select(r => new StandInRequest((string)r!["id"]!, (string)r["method"]!, (string)r["path"]!, (int)r["status"]!))];
    }

    /// <summary>Every event (after <paramref name="after"/>), oldest first, as Stripe's <c>event</c> objects.</summary>
    public async Task<IReadOnlyList<JsonObject>> EventsAsync(string? after = null, CancellationToken cancellationToken = default)
    {
        var list = await GetAsync(after is null ? "_standin/events" : $"_standin/events?after={Uri.EscapeDataString(after)}", cancellationToken).ConfigureAwait(false);
        return [.. list["data"]!.AsArray().Select(e => e!.AsObject())];
    }

    /// <summary>Tries at delivering events to the webhook URL, in order (<c>event</c>, <c>attempt</c>, <c>status</c>, <c>delivered</c>).</summary>
    public async Task<IReadOnlyList<JsonObject>> DeliveriesAsync(CancellationToken cancellationToken = default)
    {
        var list = await GetAsync("_standin/deliveries", cancellationToken).ConfigureAwait(false);
        return [.. list["data"]!.AsArray().Select(d => d!.AsObject())];
    }

    /// <summary>An event's exact body and a <c>Stripe-Signature</c> header value made now (or at <paramref name="signedAt"/>).</summary>
    public async Task<StripeEventDelivery> DeliveryAsync(string eventId, DateTimeOffset? signedAt = null, CancellationToken cancellationToken = default)
    {
        var query = signedAt is { } at ? "?at=" + at.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture) : "";
        var delivery = await GetAsync($"_standin/events/{Uri.EscapeDataString(eventId)}/delivery{query}", cancellationToken).ConfigureAwait(false);
        return new StripeEventDelivery((string)delivery["id"]!, (string)delivery["type"]!, (string)delivery["body"]!, (string)delivery["signature"]!);
    }

    private async Task<JsonObject> GetAsync(string path, CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync(new Uri(path, UriKind.Relative), cancellationToken).ConfigureAwait(false);
        return await ReadAsync(response, cancellationToken).ConfigureAwait(false);
    }

    private async Task<JsonObject> PostAsync(string path, JsonObject? body, CancellationToken cancellationToken)
    {
        using var response = await http.PostAsJsonAsync(new Uri(path, UriKind.Relative), body ?? [], cancellationToken).ConfigureAwait(false);
        return await ReadAsync(response, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<JsonObject> ReadAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"The Stripe stand-in's admin API answered {(int)response.StatusCode}: {text}", null, response.StatusCode);
        }

        return JsonNode.Parse(text)!.AsObject();
    }
}

/// <summary>What a webhook delivery carries: the body exactly and its <c>Stripe-Signature</c> header value.</summary>
public sealed record StripeEventDelivery(string Id, string Type, string Body, string Signature);
