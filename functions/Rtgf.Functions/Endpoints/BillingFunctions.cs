using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Rtgf.Azure.Billing;
using Rtgf.Functions.Billing;

namespace Rtgf.Functions.Endpoints;

/// <summary>Checkout for the public API's paid plans (<see cref="BillingEndpoints"/>; docs/spec/billing.md).</summary>
public sealed class BillingFunctions(StripeConnection stripe, BillingSettings settings, TableBillingAccountStore accounts, TimeProvider time)
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
        await BillingEndpoints.CreateCheckoutAsync(request, stripe, settings, accounts, time, cancellationToken).ConfigureAwait(false);
}
