using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Rtgf.Azure.Billing;
using Rtgf.Functions.Billing;
using Rtgf.Functions.Http;
using Rtgf.Pipeline.Billing;

namespace Rtgf.Functions.Endpoints;

/// <summary>Checkout for the public API's paid plans, its return pages, and the operators' read of an account (<see cref="BillingEndpoints"/>; docs/spec/billing.md).</summary>
public sealed class BillingFunctions(StripeConnection stripe, BillingSettings settings, TableBillingAccountStore accounts, SessionPageCache pages, TimeProvider time, ILogger<BillingFunctions> logger)
{
    [Function(nameof(CreateCheckout))]
    [Tags("public-api"), EndpointSummary("Start a Stripe Checkout for a paid plan of the calling API key (201 with the page to send the user to)")]
    [Consumes(typeof(CheckoutRequest), "application/json")]
    [ProducesResponseType<CheckoutSessionView>(StatusCodes.Status201Created, "application/json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status401Unauthorized, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status409Conflict, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status413PayloadTooLarge, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status415UnsupportedMediaType, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status502BadGateway, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status503ServiceUnavailable, "application/problem+json")]
    public async Task<IResult> CreateCheckout(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v1/billing/checkout")] HttpRequest request, CancellationToken cancellationToken) =>
        await BillingEndpoints.CreateCheckoutAsync(request, stripe, settings, accounts, time, logger, cancellationToken).ConfigureAwait(false);

    [Function(nameof(GetCheckoutSuccessPage))]
    [Tags("public-api"), EndpointSummary("The page Stripe sends a buyer to after paying (Billing:SuccessUrl): the checkout's status, as HTML")]
    [QueryParameter("session_id", "string", "The Checkout Session id (Stripe fills {CHECKOUT_SESSION_ID})", Required = true)]
    [ProducesResponseType<string>(StatusCodes.Status200OK, "text/html")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status503ServiceUnavailable, "application/problem+json")]
    public async Task<IResult> GetCheckoutSuccessPage(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "v1/billing/success")] HttpRequest request, CancellationToken cancellationToken) =>
        await BillingEndpoints.SuccessPageAsync(request, stripe, accounts, pages, cancellationToken).ConfigureAwait(false);

    [Function(nameof(GetCheckoutCancelPage))]
    [Tags("public-api"), EndpointSummary("The page Stripe sends a buyer to after giving up (Billing:CancelUrl), as HTML")]
    [ProducesResponseType<string>(StatusCodes.Status200OK, "text/html")]
    public IResult GetCheckoutCancelPage(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "v1/billing/cancel")] HttpRequest request) =>
        BillingEndpoints.CancelPage();

    [Function(nameof(GetBillingAccount))]
    [Tags("operations"), EndpointSummary("An API key's billing account: subscription, status, plan, grace, key note and any second live subscription (conflict)")]
    [ProducesResponseType<BillingAccount>(StatusCodes.Status200OK, "application/json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    public async Task<IResult> GetBillingAccount(
        [HttpTrigger(AuthorizationLevel.Admin, "get", Route = "ops/billing/accounts/{keyId}")] HttpRequest request, CancellationToken cancellationToken) =>
        await BillingEndpoints.GetAccountAsync(QueryValues.Route(request, "keyId") ?? string.Empty, accounts, cancellationToken).ConfigureAwait(false);
}
