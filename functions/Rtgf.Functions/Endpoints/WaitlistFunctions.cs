using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Rtgf.Azure.Waitlist;
using Rtgf.Functions.Http;
using Rtgf.Functions.Waitlist;

namespace Rtgf.Functions.Endpoints;

/// <summary>The prelaunch waitlist (<see cref="WaitlistEndpoints"/>; docs/spec/waitlist.md). Anonymous under <c>/v1</c>'s tier.</summary>
public sealed class WaitlistFunctions(WaitlistSignups waitlist, TableLeadStore leads)
{
    [Function(nameof(JoinWaitlist))]
    [Tags("public-api"), EndpointSummary("Join the prelaunch waitlist: 202 whether or not the address was known; a confirmation link is emailed")]
    [Consumes(typeof(WaitlistRequest), "application/json")]
    [ProducesResponseType<WaitlistAccepted>(StatusCodes.Status202Accepted, "application/json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status413PayloadTooLarge, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status415UnsupportedMediaType, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status429TooManyRequests, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status503ServiceUnavailable, "application/problem+json")]
    public async Task<IResult> JoinWaitlist(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v1/waitlist")] HttpRequest request, CancellationToken cancellationToken) =>
        await WaitlistEndpoints.SignUpAsync(request, waitlist, cancellationToken).ConfigureAwait(false);

    [Function(nameof(ShowWaitlistConfirmation))]
    [Tags("public-api"), EndpointSummary("The emailed confirmation link: an HTML page whose button POSTs it (a GET confirms nothing)")]
    [QueryParameter("token", "string", "The token from the emailed link", Required = true)]
    [ProducesResponseType<string>(StatusCodes.Status200OK, "text/html")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status409Conflict, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status410Gone, "application/problem+json")]
    public async Task<IResult> ShowWaitlistConfirmation(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "v1/waitlist/confirm")] HttpRequest request, CancellationToken cancellationToken) =>
        await WaitlistEndpoints.ShowConfirmAsync(request, waitlist, cancellationToken).ConfigureAwait(false);

    [Function(nameof(ConfirmWaitlist))]
    [Tags("public-api"), EndpointSummary("Confirm a waitlist address with its link (single use, 15 minutes)")]
    [QueryParameter("token", "string", "The token from the emailed link", Required = true)]
    [ProducesResponseType<string>(StatusCodes.Status200OK, "text/html")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status409Conflict, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status410Gone, "application/problem+json")]
    public async Task<IResult> ConfirmWaitlist(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v1/waitlist/confirm")] HttpRequest request, CancellationToken cancellationToken) =>
        await WaitlistEndpoints.ConfirmAsync(request, waitlist, cancellationToken).ConfigureAwait(false);

    [Function(nameof(ShowWaitlistUnsubscribe))]
    [Tags("public-api"), EndpointSummary("The emailed unsubscribe link: an HTML page whose button POSTs it")]
    [QueryParameter("token", "string", "The token from the emailed link", Required = true)]
    [ProducesResponseType<string>(StatusCodes.Status200OK, "text/html")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    public async Task<IResult> ShowWaitlistUnsubscribe(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "v1/waitlist/unsubscribe")] HttpRequest request, CancellationToken cancellationToken) =>
        await WaitlistEndpoints.ShowUnsubscribeAsync(request, waitlist, cancellationToken).ConfigureAwait(false);

    [Function(nameof(UnsubscribeWaitlist))]
    [Tags("public-api"), EndpointSummary("Unsubscribe a waitlist address (the page's button, or RFC 8058 one-click; again is fine)")]
    [QueryParameter("token", "string", "The token from the emailed link", Required = true)]
    [ProducesResponseType<string>(StatusCodes.Status200OK, "text/html")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    public async Task<IResult> UnsubscribeWaitlist(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v1/waitlist/unsubscribe")] HttpRequest request, CancellationToken cancellationToken) =>
        await WaitlistEndpoints.UnsubscribeAsync(request, waitlist, cancellationToken).ConfigureAwait(false);

    [Function(nameof(ListLeads))]
    [Tags("operations"), EndpointSummary("List the waitlist's leads, a page at a time")]
    [QueryParameter("cursor", "string", "The nextCursor of the previous page")]
    [QueryParameter("limit", "integer", "Leads per page, 1 to 200 (default 50)")]
    [ProducesResponseType<LeadList>(StatusCodes.Status200OK, "application/json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    public async Task<IResult> ListLeads(
        [HttpTrigger(AuthorizationLevel.Admin, "get", Route = "ops/leads")] HttpRequest request, CancellationToken cancellationToken) =>
        await WaitlistEndpoints.ListLeadsAsync(request, leads, cancellationToken).ConfigureAwait(false);
}
