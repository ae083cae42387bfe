using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Rtgf.Functions.Access;
using Rtgf.Functions.Http;
using Rtgf.Pipeline.Access;

namespace Rtgf.Functions.Endpoints;

/// <summary>The public API's keys under <c>/ops/api-keys</c> (admin key; <see cref="ApiKeyEndpoints"/>).</summary>
public sealed class ApiKeyFunctions(IApiKeyStore keys, ApiKeyHashing hashing, ApiPlans plans, ApiAccessGate gate, TimeProvider time, IConfiguration settings, OperatorAudit audit)
{
    [Function(nameof(CreateApiKey))]
    [Tags("operations"), EndpointSummary("Create an API key (the key is in this answer only)")]
    [Consumes(typeof(CreateApiKeyRequest), "application/json")]
    [ProducesResponseType<IssuedApiKey>(StatusCodes.Status201Created, "application/json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status413PayloadTooLarge, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status415UnsupportedMediaType, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status503ServiceUnavailable, "application/problem+json")]
    public async Task<IResult> CreateApiKey(
        [HttpTrigger(AuthorizationLevel.Admin, "post", Route = "ops/api-keys")] HttpRequest request, CancellationToken cancellationToken) =>
        await ApiKeyEndpoints.CreateAsync(request, keys, hashing, plans, time, settings, audit, cancellationToken).ConfigureAwait(false);

    [Function(nameof(ListApiKeys))]
    [Tags("operations"), EndpointSummary("List the API keys (no secrets), a page at a time")]
    [QueryParameter("cursor", "string", "The nextCursor of the previous page")]
    [QueryParameter("limit", "integer", "Keys per page, 1 to 200 (default 50)")]
    [ProducesResponseType<ApiKeyList>(StatusCodes.Status200OK, "application/json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    public async Task<IResult> ListApiKeys(
        [HttpTrigger(AuthorizationLevel.Admin, "get", Route = "ops/api-keys")] HttpRequest request, CancellationToken cancellationToken) =>
        await ApiKeyEndpoints.ListAsync(request, keys, time, cancellationToken).ConfigureAwait(false);

    [Function(nameof(GetApiKey))]
    [Tags("operations"), EndpointSummary("One API key's record (no secret)")]
    [ProducesResponseType<ApiKeyView>(StatusCodes.Status200OK, "application/json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    public async Task<IResult> GetApiKey(
        [HttpTrigger(AuthorizationLevel.Admin, "get", Route = "ops/api-keys/{id}")] HttpRequest request, CancellationToken cancellationToken) =>
        await ApiKeyEndpoints.GetAsync(QueryValues.Route(request, "id") ?? string.Empty, keys, time, cancellationToken).ConfigureAwait(false);

    [Function(nameof(RotateApiKey))]
    [Tags("operations"), EndpointSummary("Give an API key a new secret (in this answer only); the old one stops working")]
    [ProducesResponseType<IssuedApiKey>(StatusCodes.Status200OK, "application/json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status409Conflict, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status503ServiceUnavailable, "application/problem+json")]
    public async Task<IResult> RotateApiKey(
        [HttpTrigger(AuthorizationLevel.Admin, "post", Route = "ops/api-keys/{id}/rotate")] HttpRequest request, CancellationToken cancellationToken) =>
        await ApiKeyEndpoints.RotateAsync(request, QueryValues.Route(request, "id") ?? string.Empty, keys, hashing, gate, time, settings, audit, cancellationToken).ConfigureAwait(false);

    [Function(nameof(RevokeApiKey))]
    [Tags("operations"), EndpointSummary("Revoke an API key with a reason (refused on every instance within seconds)")]
    [Consumes(typeof(RevokeApiKeyRequest), "application/json")]
    [ProducesResponseType<ApiKeyView>(StatusCodes.Status200OK, "application/json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status413PayloadTooLarge, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status415UnsupportedMediaType, "application/problem+json")]
    public async Task<IResult> RevokeApiKey(
        [HttpTrigger(AuthorizationLevel.Admin, "post", Route = "ops/api-keys/{id}/revoke")] HttpRequest request, CancellationToken cancellationToken) =>
        await ApiKeyEndpoints.RevokeAsync(request, QueryValues.Route(request, "id") ?? string.Empty, keys, gate, time, settings, audit, cancellationToken).ConfigureAwait(false);
}
