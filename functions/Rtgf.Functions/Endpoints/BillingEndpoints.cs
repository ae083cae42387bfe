using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Net.Http.Headers;
using Rtgf.Azure.Billing;
using Rtgf.Functions.Access;
using Rtgf.Functions.Billing;
using Rtgf.Functions.Http;
using Rtgf.Pipeline.Access;
using Rtgf.Pipeline.Billing;
using Stripe;
using Stripe.Checkout;

namespace Rtgf.Functions.Endpoints;

/// <summary>The body of <c>POST /v1/billing/checkout</c>: a paid plan (one of <c>Billing:Prices</c>).</summary>
internal sealed record CheckoutRequest(string Plan);

/// <summary>A Checkout Session to send the client's user to: its id and Stripe's hosted page.</summary>
internal sealed record CheckoutSessionView(string Id, string Url);

/// <summary>
/// <c>POST /v1/billing/checkout</c> (docs/spec/billing.md): a Stripe Checkout Session (subscription mode) for the calling
/// API key. The key's Stripe customer is created once (Stripe idempotency key <c>rtgf-customer-{keyId}</c>, then a
/// conditional insert of its billing account: a second checkout, or two at once, use the one stored). The client's
/// <c>Idempotency-Key</c> is forwarded namespaced by the key id, so one client's key never meets another's.
/// </summary>
internal static partial class BillingEndpoints
{
    public const int MaxBodyBytes = 4 * 1024;
    public const int MaxIdempotencyKeyLength = 200;
    private const string Bearer = "Bearer";

    public static async Task<Results<Created<CheckoutSessionView>, ProblemHttpResult>> CreateCheckoutAsync(
        HttpRequest request, StripeConnection stripe, BillingSettings settings, TableBillingAccountStore accounts, TimeProvider time, ILogger logger, CancellationToken cancellationToken)
    {
        // The access middleware has refused a bad key and names an accepted one; an anonymous caller has none.
        if (ApiCaller.Of(request.HttpContext) is not { KeyId: var keyId })
        {
            request.HttpContext.Response.Headers[HeaderNames.WWWAuthenticate] = Bearer;
            return ApiProblem.Unauthorized("Checkout is for an API key: send Authorization: Bearer rtgf_….");
        }

        var idempotencyKey = request.Headers["Idempotency-Key"];
        if (idempotencyKey.Count > 1 || (idempotencyKey.Count == 1 && (string.IsNullOrWhiteSpace(idempotencyKey[0]) || idempotencyKey[0]!.Length > MaxIdempotencyKeyLength || idempotencyKey[0]!.Any(char.IsControl))))
        {
            return ApiProblem.InvalidRequest($"Idempotency-Key must be one header of 1 to {MaxIdempotencyKeyLength} printable characters.");
        }

        var (document, problem) = await JsonBody.ReadObjectAsync(request, MaxBodyBytes, cancellationToken).ConfigureAwait(false);
        if (problem is not null)
        {
            return problem;
        }

        string plan;
        using (document)
        {
            if (!document!.RootElement.TryGetProperty("plan", out var member) || member.ValueKind != JsonValueKind.String || member.GetString() is not { Length: > 0 } named)
            {
                return ApiProblem.InvalidJson("The body must be {\"plan\": \"<a paid plan>\"}.");
            }

            plan = named;
        }

        if (settings.PriceOf(plan) is not { } price)
        {
            var onSale = settings.PaidPlans.Count == 0 ? "none is on sale" : "on sale: " + string.Join(", ", settings.PaidPlans);
            return ApiProblem.InvalidRequest($"'{plan}' is not a paid plan ({onSale}).");
        }

        if (stripe.Client is not { } client)
        {
            return ApiProblem.BillingNotConfigured(stripe.Problem);
        }

        if (settings.SuccessUrl is not { } successUrl || settings.CancelUrl is not { } cancelUrl)
        {
            return ApiProblem.BillingNotConfigured($"Billing is not configured: the settings {BillingSettings.SuccessUrlSetting} and {BillingSettings.CancelUrlSetting} are needed.");
        }

        var metadata = new Dictionary<string, string> { [StripeWebhookHandler.KeyIdMetadata] = keyId, [StripeWebhookHandler.PlanMetadata] = plan };
        try
        {
            var account = (await accounts.GetAsync(keyId, cancellationToken).ConfigureAwait(false))?.Account;
            if (account is { Status: var status } && BillingRules.IsLive(status))
            {
                // A second live subscription on one key would drift from the first: changes go through Stripe instead.
                return ApiProblem.SubscriptionExists(
                    $"This API key already has a subscription ({status}, plan {account.PricePlan ?? account.Plan}): change or cancel it through Stripe, not with a second checkout.");
            }

            if (account is null)
            {
                var customerId = await CustomerOfAsync(new CustomerService(client), keyId, cancellationToken).ConfigureAwait(false);
                var now = time.GetUtcNow();
                account = await accounts.CreateAsync(new BillingAccount(keyId, customerId, now, now), cancellationToken).ConfigureAwait(false);
            }

            var sessions = new SessionService(client);
            var session = await sessions.CreateAsync(
                new SessionCreateOptions
                {
                    Mode = "subscription",
                    Customer = account.CustomerId,
                    ClientReferenceId = keyId,
                    LineItems = [new SessionLineItemOptions { Price = price, Quantity = 1 }],
                    SuccessUrl = successUrl,
                    CancelUrl = cancelUrl,
                    Metadata = metadata,
                    SubscriptionData = new SessionSubscriptionDataOptions { Metadata = metadata },
                },
                new RequestOptions
                {
                    // Without the client's key, one per request (its trace id): the outbound pipeline retries only POSTs that carry one.
                    IdempotencyKey = idempotencyKey.Count == 1
                        ? $"rtgf-checkout-{keyId}-{idempotencyKey[0]}"
                        : $"rtgf-checkout-{keyId}-request-{request.HttpContext.TraceIdentifier}",
                },
                cancellationToken).ConfigureAwait(false);
            // Recorded before anyone sees it: the success page answers only for sessions made here.
            await accounts.RecordSessionAsync(session.Id, keyId, time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
            if (await CloseTheRaceAsync(sessions, client, accounts, keyId, session, logger, cancellationToken).ConfigureAwait(false) is { } paid)
            {
                return ApiProblem.SubscriptionExists(
                    $"A checkout of this API key was paid moments ago (subscription {paid}); it is being applied. Change or cancel it through Stripe, not with a second checkout.");
            }

            return TypedResults.Created((string?)null, new CheckoutSessionView(session.Id, session.Url));
        }
        catch (StripeException e) when (e.HttpStatusCode is System.Net.HttpStatusCode.Conflict)
        {
            // Stripe's "request in progress": a concurrent checkout of this key holds the idempotency key (creating its customer).
            request.HttpContext.Response.Headers[HeaderNames.RetryAfter] = "1";
            return ApiProblem.BillingUnavailable("Another checkout of this API key is in progress; retry in a moment.");
        }
        catch (StripeException e) when (e.StripeError?.Type == "idempotency_error")
        {
            return ApiProblem.IdempotencyKeyReused("This Idempotency-Key was used before with another request: use a new key for a new request.");
        }
        catch (StripeException e) when (e.HttpStatusCode is System.Net.HttpStatusCode.TooManyRequests || (int)e.HttpStatusCode >= 500)
        {
            request.HttpContext.Response.Headers[HeaderNames.RetryAfter] = "5";
            return ApiProblem.BillingUnavailable($"Stripe is not answering just now ({(int)e.HttpStatusCode}); retry shortly.");
        }
        catch (StripeException e)
        {
            // Stripe refused what we sent (a price that is not there, a key it does not accept): ours to fix, not the client's.
            return ApiProblem.BillingFailed($"Stripe refused the checkout ({(int)e.HttpStatusCode} {e.StripeError?.Type ?? "error"}).");
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // Network failures, timeouts, an open circuit: the outbound pipeline has retried and logged them.
            request.HttpContext.Response.Headers[HeaderNames.RetryAfter] = "5";
            return ApiProblem.BillingUnavailable("Stripe could not be reached just now; retry shortly.");
        }
    }

    /// <summary><c>GET /ops/billing/accounts/{keyId}</c>: the key's billing account (its subscription, plan, grace, key note and any conflict).</summary>
    public static async Task<Results<Ok<BillingAccount>, ProblemHttpResult>> GetAccountAsync(string keyId, TableBillingAccountStore accounts, CancellationToken cancellationToken)
    {
        if (!ApiKeySecret.IsId(keyId))
        {
            return ApiProblem.InvalidRequest($"'{keyId}' is not an API key id.");
        }

        return await accounts.GetAsync(keyId, cancellationToken).ConfigureAwait(false) is { } read
            ? TypedResults.Ok(read.Account)
            : ApiProblem.NotFound($"API key {keyId} has no billing account (it never started a checkout).");
    }

    /// <summary>
    /// <c>GET /v1/billing/success?session_id=cs_…</c>: where Stripe sends the buyer after paying (<c>Billing:SuccessUrl</c>
    /// with <c>{CHECKOUT_SESSION_ID}</c>): a plain page saying what Stripe says of the session now. Nothing is applied
    /// here (the webhook does that); the page shows no personal data, only the session's status and plan. A session no
    /// checkout of RTGF made is a 404 without asking Stripe, and one answer per session is kept a few seconds
    /// (<see cref="SessionPageCache"/>): anonymous callers cannot spend Stripe's rate limit.
    /// </summary>
    public static async Task<IResult> SuccessPageAsync(HttpRequest request, StripeConnection stripe, TableBillingAccountStore accounts, SessionPageCache pages, CancellationToken cancellationToken)
    {
        var sessionId = request.Query["session_id"];
        if (sessionId.Count != 1 || sessionId[0] is not { Length: > 3 and <= 255 } id || !id.StartsWith("cs_", StringComparison.Ordinal) || !id.All(c => char.IsAsciiLetterOrDigit(c) || c == '_'))
        {
            return ApiProblem.InvalidRequest("session_id must be one Checkout Session id (cs_…).");
        }

        if (stripe.Client is not { } client)
        {
            return ApiProblem.BillingNotConfigured(stripe.Problem);
        }

        if (pages.TryGet(id, out var cached))
        {
            return Page(cached.Title, cached.Message);
        }

        if (!await accounts.IsSessionAsync(id, cancellationToken).ConfigureAwait(false))
        {
            return ApiProblem.NotFound("No such Checkout Session (none of RTGF's checkouts made it).");
        }

        string title, message;
        try
        {
            var session = await new SessionService(client).GetAsync(id, cancellationToken: cancellationToken).ConfigureAwait(false);
            var plan = session.Metadata is { } metadata && metadata.TryGetValue(StripeWebhookHandler.PlanMetadata, out var named) ? named : "paid";
            (title, message) = (session.Status, session.PaymentStatus) switch
            {
                ("complete", "paid" or "no_payment_required") => ("Payment received",
                    $"Thank you. Your API key moves to the {plan} plan as soon as Stripe confirms the payment to us, usually within a minute. A receipt is on its way by email. Keep using the key you have."),
                ("complete", _) => ("Payment processing", $"Stripe is still processing the payment. Your API key moves to the {plan} plan once it is confirmed."),
                ("open", _) => ("Checkout not finished", "This checkout has not been paid yet. Go back to the checkout page to finish it."),
                _ => ("Checkout expired", "This checkout expired without a payment (a newer checkout of the same key replaces an older one). Nothing was charged; start a new checkout if you still want the plan."),
            };
            pages.Set(id, title, message);
        }
        catch (StripeException e) when (e.HttpStatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return ApiProblem.NotFound("No such Checkout Session.");
        }
        catch (Exception e) when (e is StripeException or HttpRequestException or TimeoutException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            (title, message) = ("Payment status unavailable", "We could not ask Stripe about this checkout just now. If you paid, your API key moves to its new plan shortly and a receipt follows by email; reload this page to check.");
        }

        return Page(title, message);
    }

    /// <summary><c>GET /v1/billing/cancel</c>: where Stripe sends the buyer who gave up (<c>Billing:CancelUrl</c>); nothing was charged.</summary>
    public static IResult CancelPage() =>
        Page("Checkout cancelled", "Nothing was charged and your API key is unchanged. You can start a new checkout at any time.");

    private static HtmlPage Page(string title, string message)
    {
        var html = $"""
            <!doctype html>
            <html lang="en">
            <head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="robots" content="noindex"><title>RTGF: {HtmlEncoder.Default.Encode(title)}</title></head>
            <body><h1>{HtmlEncoder.Default.Encode(title)}</h1><p>{HtmlEncoder.Default.Encode(message)}</p></body>
            </html>

            """;
        return new HtmlPage(html);
    }

    /// <summary>A page for a person (not cached: it shows the state at this moment).</summary>
    private sealed class HtmlPage(string html) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.StatusCode = StatusCodes.Status200OK;
            httpContext.Response.ContentType = "text/html; charset=utf-8";
            httpContext.Response.Headers.CacheControl = "no-store";
            return httpContext.Response.WriteAsync(html, httpContext.RequestAborted);
        }
    }

    /// <summary>
    /// One key, one payable checkout (docs/spec/billing.md, two checkouts). The survivor is decided on the billing account
    /// row: <paramref name="ours"/> is written as its <c>OpenSessionId</c> by compare-and-swap, and the session it replaces
    /// is expired first, so every session but the last written is expired by its successor (Stripe's ids and whole-second
    /// <c>created</c> say nothing of which is newer). A replaced session found paid, a live subscription on the account, or
    /// (from the customer's listed sessions) a session paid whose webhook is not yet applied mean ours must not be paid
    /// too: ours is expired (if that fails it is at least never answered) and the paid subscription is returned (a 409).
    /// A Stripe failure here throws: the caller answers 503 and ours, never answered, cannot be paid.
    /// </summary>
    private static async Task<string?> CloseTheRaceAsync(SessionService sessions, StripeClient client, TableBillingAccountStore accounts, string keyId, Session ours, ILogger logger, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            if (attempt == 16 || await accounts.GetAsync(keyId, cancellationToken).ConfigureAwait(false) is not { } read)
            {
                throw new InvalidOperationException($"The billing account of key {keyId} kept changing (or went) while a checkout recorded its session.");
            }

            if (BillingRules.IsLive(read.Account.Status))
            {
                return await RefuseAsync(sessions, keyId, ours, read.Account.SubscriptionId ?? "-", logger, cancellationToken).ConfigureAwait(false);
            }

            // An idempotent replay that Stripe answers with a session no longer open is not written over the newest.
            if (read.Account.OpenSessionId == ours.Id || ours.Status != "open")
            {
                break;
            }

            if (read.Account.OpenSessionId is { } previous && await ExpireOrPaidAsync(sessions, client, previous, ours.Id, cancellationToken).ConfigureAwait(false) is { } paidBefore)
            {
                return await RefuseAsync(sessions, keyId, ours, paidBefore, logger, cancellationToken).ConfigureAwait(false);
            }

            if (await accounts.TryReplaceAsync(read.Account with { OpenSessionId = ours.Id }, read.ETag, cancellationToken).ConfigureAwait(false))
            {
                break;
            }
        }

        // A session paid whose webhook is not applied yet, older than the one just replaced (its successor expired nothing
        // because it was paid): the listing is only for this. A session lives at most 24 h and Stripe retries a webhook
        // for 3 days: an older paid one was applied long ago.
        var account = (await accounts.GetAsync(keyId, cancellationToken).ConfigureAwait(false))?.Account;
        var recent = ours.Created - TimeSpan.FromDays(4);
        var listed = await sessions.ListAsync(new SessionListOptions { Customer = ours.CustomerId, Status = "complete", Limit = 100 }, cancellationToken: cancellationToken).ConfigureAwait(false);
        foreach (var paid in listed.Data.Where(s => s.Id != ours.Id && s.Created >= recent && s.SubscriptionId is { } sub && sub != account?.SubscriptionId))
        {
            if (await LiveSubscriptionAsync(client, paid.SubscriptionId, cancellationToken).ConfigureAwait(false))
            {
                return await RefuseAsync(sessions, keyId, ours, paid.SubscriptionId, logger, cancellationToken).ConfigureAwait(false);
            }
        }

        return null;
    }

    /// <summary>Expires a replaced session; the subscription it started when it was paid instead (and that is live).</summary>
    private static async Task<string?> ExpireOrPaidAsync(SessionService sessions, StripeClient client, string sessionId, string by, CancellationToken cancellationToken)
    {
        try
        {
            await ExpireAsync(sessions, sessionId, by, cancellationToken).ConfigureAwait(false);
            return null;
        }
        catch (StripeException e) when (e.HttpStatusCode == System.Net.HttpStatusCode.BadRequest)
        {
            // No longer open: expired already (by a concurrent checkout), or paid.
            var now = await sessions.GetAsync(sessionId, cancellationToken: cancellationToken).ConfigureAwait(false);
            return now.Status == "complete" && await LiveSubscriptionAsync(client, now.SubscriptionId, cancellationToken).ConfigureAwait(false) ? now.SubscriptionId : null;
        }
    }

    /// <summary>Ours must not be paid: expired if Stripe lets us, and never answered either way (the 409 carries no URL).</summary>
    private static async Task<string> RefuseAsync(SessionService sessions, string keyId, Session ours, string paidSubscription, ILogger logger, CancellationToken cancellationToken)
    {
        try
        {
            await ExpireAsync(sessions, ours.Id, ours.Id, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is StripeException or HttpRequestException or TimeoutException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            LogOursLeftOpen(logger, keyId, e.GetType().Name);
        }

        return paidSubscription;
    }

    private static async Task<bool> LiveSubscriptionAsync(StripeClient client, string? subscriptionId, CancellationToken cancellationToken) =>
        subscriptionId is not null
        && BillingRules.IsLive((await new SubscriptionService(client).GetAsync(subscriptionId, cancellationToken: cancellationToken).ConfigureAwait(false)).Status);

    // Expiring is idempotent at Stripe; the key lets the outbound pipeline retry it. It names the checkout that expires
    // too: concurrent checkouts replacing one session would otherwise share a key, and Stripe answers all but the first
    // with 409 idempotency_error while it is in flight (each now gets 200, or 400 "not open" once it is expired).
    private static Task<Session> ExpireAsync(SessionService sessions, string sessionId, string by, CancellationToken cancellationToken) =>
        sessions.ExpireAsync(sessionId, null, new RequestOptions { IdempotencyKey = $"rtgf-expire-{sessionId}-by-{by}" }, cancellationToken);

    /// <summary>
    /// The key's Stripe customer: one Stripe already has for it (<c>metadata[rtgf_key_id]</c>, the oldest: a customer made
    /// by a checkout whose account row was never written, after Stripe's 24 h idempotency window), else a new one
    /// (idempotency key <c>rtgf-customer-{keyId}</c>, so a retry or a concurrent checkout within the window gets the same).
    /// </summary>
    private static async Task<string> CustomerOfAsync(CustomerService customers, string keyId, CancellationToken cancellationToken)
    {
        // Key ids are [a-z0-9_] (ApiKeySecret), so quoting them in the search query is safe.
        try
        {
            var found = await customers.SearchAsync(
                new CustomerSearchOptions { Query = $"metadata['{StripeWebhookHandler.KeyIdMetadata}']:'{keyId}'", Limit = 10 },
                cancellationToken: cancellationToken).ConfigureAwait(false);
            if (found.Data.OrderBy(c => c.Created).ThenBy(c => c.Id, StringComparer.Ordinal).FirstOrDefault() is { } existing)
            {
                return existing.Id;
            }
        }
        catch (StripeException e) when (e.HttpStatusCode is System.Net.HttpStatusCode.BadRequest or System.Net.HttpStatusCode.NotFound)
        {
            // An account without search (Stripe has none in some regions): the idempotency key alone, as before.
        }

        var customer = await customers.CreateAsync(
            new CustomerCreateOptions { Metadata = new Dictionary<string, string> { [StripeWebhookHandler.KeyIdMetadata] = keyId } },
            new RequestOptions { IdempotencyKey = "rtgf-customer-" + keyId },
            cancellationToken).ConfigureAwait(false);
        return customer.Id;
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Warning, Message = "Checkout for API key {KeyId} refused (already paid), but its own new Checkout Session could not be expired ({Error}); its URL was never answered")]
    private static partial void LogOursLeftOpen(ILogger logger, string keyId, string error);
}
