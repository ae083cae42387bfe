using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Rtgf.Functions.Http;
using Rtgf.Pipeline.Webhooks;

namespace Rtgf.Functions.Endpoints;

/// <summary>
/// The one inbound webhook bus: <c>POST /hooks/{provider}</c> (anonymous: the provider's signature is the authentication)
/// and the operator routes under <c>/ops/hooks</c> (admin key). Handlers in <see cref="WebhookEndpoints"/>.
/// </summary>
public sealed class WebhookFunctions(
    IEnumerable<IWebhookVerifier> verifiers, WebhookOptions options, WebhookInbox inbox, IWebhookStore store,
    IWebhookBodyStore bodies, TimeProvider time, IConfiguration settings, ILogger<WebhookFunctions> logger, OperatorAudit audit)
{
    [Function(nameof(ReceiveWebhook))]
    [Tags("webhooks"), EndpointSummary("Accept a provider's signed webhook: verified, stored once, queued for its handler")]
    [ProducesResponseType<WebhookReceipt>(StatusCodes.Status200OK, "application/json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status413PayloadTooLarge, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status503ServiceUnavailable, "application/problem+json")]
    public async Task<IResult> ReceiveWebhook(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "hooks/{provider}")] HttpRequest request, CancellationToken cancellationToken) =>
        await WebhookEndpoints.ReceiveAsync(request, QueryValues.Route(request, "provider") ?? string.Empty, verifiers, settings, options, inbox, time, logger, cancellationToken).ConfigureAwait(false);

    [Function(nameof(ListWebhooks))]
    [Tags("operations"), EndpointSummary("List accepted webhooks (provider, event id, type, state, tries, last error), a page at a time")]
    [QueryParameter("provider", "string", "Only this provider's webhooks")]
    [QueryParameter("state", "string", "Only webhooks in this state: received, enqueued, applied, unhandled, poisoned")]
    [QueryParameter("cursor", "string", "The nextCursor of the previous page")]
    [QueryParameter("limit", "integer", "Webhooks per page, 1 to 200 (default 50)")]
    [ProducesResponseType<WebhookList>(StatusCodes.Status200OK, "application/json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    public async Task<IResult> ListWebhooks(
        [HttpTrigger(AuthorizationLevel.Admin, "get", Route = "ops/hooks")] HttpRequest request, CancellationToken cancellationToken) =>
        await WebhookEndpoints.ListAsync(request, store, cancellationToken).ConfigureAwait(false);

    [Function(nameof(GetWebhook))]
    [Tags("operations"), EndpointSummary("One accepted webhook's record and body digest")]
    [ProducesResponseType<WebhookView>(StatusCodes.Status200OK, "application/json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    public async Task<IResult> GetWebhook(
        [HttpTrigger(AuthorizationLevel.Admin, "get", Route = "ops/hooks/{provider}/{eventId}")] HttpRequest request, CancellationToken cancellationToken) =>
        await WebhookEndpoints.GetAsync(QueryValues.Route(request, "provider") ?? string.Empty, QueryValues.Route(request, "eventId") ?? string.Empty, store, cancellationToken).ConfigureAwait(false);

    [Function(nameof(GetWebhookBody))]
    [Tags("operations"), EndpointSummary("One accepted webhook's raw body, exactly as received")]
    [ProducesResponseType<byte[]>(StatusCodes.Status200OK, "application/json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    public async Task<IResult> GetWebhookBody(
        [HttpTrigger(AuthorizationLevel.Admin, "get", Route = "ops/hooks/{provider}/{eventId}/body")] HttpRequest request, CancellationToken cancellationToken) =>
        await WebhookEndpoints.GetBodyAsync(QueryValues.Route(request, "provider") ?? string.Empty, QueryValues.Route(request, "eventId") ?? string.Empty, store, bodies, cancellationToken).ConfigureAwait(false);

    [Function(nameof(ReplayWebhook))]
    [Tags("operations"), EndpointSummary("Queue an accepted webhook for its handler again (recorded with the operator)")]
    [ProducesResponseType<WebhookView>(StatusCodes.Status200OK, "application/json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status503ServiceUnavailable, "application/problem+json")]
    public async Task<IResult> ReplayWebhook(
        [HttpTrigger(AuthorizationLevel.Admin, "post", Route = "ops/hooks/{provider}/{eventId}/replay")] HttpRequest request, CancellationToken cancellationToken) =>
        await WebhookEndpoints.ReplayAsync(request, QueryValues.Route(request, "provider") ?? string.Empty, QueryValues.Route(request, "eventId") ?? string.Empty, inbox, settings, logger, audit, cancellationToken).ConfigureAwait(false);
}
