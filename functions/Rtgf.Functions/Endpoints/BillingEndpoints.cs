using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Net.Http.Headers;
using Rtgf.Azure.Billing;
using Rtgf.Functions.Access;
using Rtgf.Functions.Billing;
using Rtgf.Functions.Http;
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
internal static class BillingEndpoints
{
    public const int MaxBodyBytes = 4 * 1024;
    public const int MaxIdempotencyKeyLength = 200;
    private const string Bearer = "Bearer";

    public static async Task<Results<Created<CheckoutSessionView>, ProblemHttpResult>> CreateCheckoutAsync(
        HttpRequest request, StripeConnection stripe, BillingSettings settings, TableBillingAccountStore accounts, TimeProvider time, CancellationToken cancellationToken)
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

            var session = await new SessionService(client).CreateAsync(
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
}
