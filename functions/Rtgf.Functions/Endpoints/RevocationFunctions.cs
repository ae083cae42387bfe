using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Rtgf.Functions.Http;
using Rtgf.Pipeline.Revocation;

namespace Rtgf.Functions.Endpoints;

/// <summary>Revocation epochs, the revocation feed and status lists (<see cref="RevocationEndpoints"/>).</summary>
public sealed class RevocationFunctions(IRevocationReader revocations)
{
    [Function(nameof(GetRevocations))]
    [Tags("revocations"), EndpointSummary("The current revocation epoch and status lists; with ?since=, the revocations after that epoch (at most limit per page, continued by cursor)")]
    [QueryParameter("since", "integer", "List the revocations after this epoch")]
    [QueryParameter("limit", "integer", "Revocations per page, 1 to 1000 (default 500); with since")]
    [QueryParameter("cursor", "string", "The nextCursor of the previous page, with the same since")]
    [ProducesResponseType<RevocationsDocument>(StatusCodes.Status200OK, "application/json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    public async Task<IResult> GetRevocations(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", Route = "revocations")] HttpRequest request, CancellationToken cancellationToken) =>
        await RevocationEndpoints.GetRevocationsAsync(
            QueryValues.Get(request, "since"), QueryValues.Get(request, "limit"), QueryValues.Get(request, "cursor"), revocations, cancellationToken).ConfigureAwait(false);

    [Function(nameof(GetStatusList))]
    [Tags("revocations"), EndpointSummary("A status list token (IETF Token Status List)")]
    [ProducesResponseType<string>(StatusCodes.Status200OK, RevocationEndpoints.StatusListMediaType)]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    public async Task<IResult> GetStatusList(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", Route = "revocations/status-lists/{family}/{n}")] HttpRequest request, CancellationToken cancellationToken) =>
        await RevocationEndpoints.GetStatusListAsync(QueryValues.Route(request, "family") ?? string.Empty, QueryValues.Route(request, "n") ?? string.Empty, request.HttpContext, revocations, cancellationToken).ConfigureAwait(false);
}
