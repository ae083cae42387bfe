using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Rtgf.Azure.Comms;
using Rtgf.Functions.Comms;
using Rtgf.Functions.Http;

namespace Rtgf.Functions.Endpoints;

/// <summary>The comms ledger's operator routes under <c>/ops/comms</c> (admin key). Handlers in <see cref="CommsEndpoints"/>.</summary>
public sealed class CommsFunctions(TableCommsStore store, CommsDeadLetters deadLetters, IConfiguration settings, ILogger<CommsFunctions> logger, OperatorAudit audit)
{
    [Function(nameof(ListComms))]
    [Tags("operations"), EndpointSummary("List comms messages (channel, template, masked recipient, state, tries, last error), a page at a time")]
    [QueryParameter("state", "string", "Only messages in this state: sending, retry, sent, suppressed, failed, poisoned")]
    [QueryParameter("cursor", "string", "The nextCursor of the previous page")]
    [QueryParameter("limit", "integer", "Messages per page, 1 to 200 (default 50)")]
    [ProducesResponseType<CommsMessageList>(StatusCodes.Status200OK, "application/json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    public async Task<IResult> ListComms(
        [HttpTrigger(AuthorizationLevel.Admin, "get", Route = "ops/comms")] HttpRequest request, CancellationToken cancellationToken) =>
        await CommsEndpoints.ListAsync(request, store, cancellationToken).ConfigureAwait(false);

    [Function(nameof(GetComms))]
    [Tags("operations"), EndpointSummary("One comms message by its key (the SHA-256 of its idempotency key), and whether its request is kept for a replay")]
    [ProducesResponseType<CommsMessageView>(StatusCodes.Status200OK, "application/json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    public async Task<IResult> GetComms(
        [HttpTrigger(AuthorizationLevel.Admin, "get", Route = "ops/comms/{key}")] HttpRequest request, CancellationToken cancellationToken) =>
        await CommsEndpoints.GetAsync(QueryValues.Route(request, "key") ?? string.Empty, store, cancellationToken).ConfigureAwait(false);

    [Function(nameof(ReplayComms))]
    [Tags("operations"), EndpointSummary("Enqueue a poisoned comms message again from its kept request (recorded with the operator); still sent once")]
    [ProducesResponseType<CommsMessageView>(StatusCodes.Status200OK, "application/json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status409Conflict, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status503ServiceUnavailable, "application/problem+json")]
    public async Task<IResult> ReplayComms(
        [HttpTrigger(AuthorizationLevel.Admin, "post", Route = "ops/comms/{key}/replay")] HttpRequest request, CancellationToken cancellationToken) =>
        await CommsEndpoints.ReplayAsync(request, QueryValues.Route(request, "key") ?? string.Empty, deadLetters, settings, logger, audit, cancellationToken).ConfigureAwait(false);
}
