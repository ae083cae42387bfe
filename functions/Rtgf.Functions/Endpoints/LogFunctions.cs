using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Options;
using Rtgf.Functions.Http;
using Rtgf.Functions.Log;
using HttpJsonOptions = Microsoft.AspNetCore.Http.Json.JsonOptions;

namespace Rtgf.Functions.Endpoints;

/// <summary>The transparency log at its C2SP tlog-tiles paths, and proofs (<see cref="LogEndpoints"/>).</summary>
public sealed class LogFunctions(IOptions<HttpJsonOptions> json, TransparencyLog log)
{
    [Function(nameof(GetCheckpoint))]
    [Tags("log"), EndpointSummary("The current signed checkpoint (C2SP signed note)")]
    [ProducesResponseType<string>(StatusCodes.Status200OK, "text/plain")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status503ServiceUnavailable, "application/problem+json")]
    public async Task<IResult> GetCheckpoint(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", Route = "log/checkpoint")] HttpRequest request, CancellationToken cancellationToken) =>
        await LogEndpoints.GetCheckpointAsync(request.HttpContext, log, cancellationToken).ConfigureAwait(false);

    /// <remarks>The catch-all can be empty (<c>/log/tile/</c>): the route value is then absent (never taken from the query) and the handler answers 404.</remarks>
    [Function(nameof(GetTile))]
    [Tags("log"), EndpointSummary("A tile or entry bundle at its tlog-tiles path (immutable once a checkpoint covers it)")]
    [ProducesResponseType<byte[]>(StatusCodes.Status200OK, "application/octet-stream")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    public async Task<IResult> GetTile(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", Route = "log/tile/{*path}")] HttpRequest request, CancellationToken cancellationToken) =>
        await LogEndpoints.GetTileAsync(QueryValues.Route(request, "path") ?? string.Empty, request.HttpContext, log, cancellationToken).ConfigureAwait(false);

    [Function(nameof(GetInclusionProof))]
    [Tags("log"), EndpointSummary("An inclusion proof of a log index at a tree size (default: the current checkpoint)")]
    [QueryParameter("index", "integer", "The entry's log index", Required = true)]
    [QueryParameter("size", "integer", "The tree size (default: the current checkpoint's)")]
    [QueryParameter("leafHash", "string", "The expected leaf hash (standard base64); 404 if the leaf differs")]
    [ProducesResponseType<InclusionProofResponse>(StatusCodes.Status200OK, "application/json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status503ServiceUnavailable, "application/problem+json")]
    public async Task<IResult> GetInclusionProof(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", Route = "log/proofs/inclusion")] HttpRequest request, CancellationToken cancellationToken) =>
        await LogEndpoints.GetInclusionProofAsync(
            QueryValues.Get(request, "index"), QueryValues.Get(request, "size"), QueryValues.Get(request, "leafHash"), request.HttpContext, json, log, cancellationToken).ConfigureAwait(false);

    [Function(nameof(GetConsistencyProof))]
    [Tags("log"), EndpointSummary("A consistency proof between two tree sizes (second defaults to the current checkpoint)")]
    [QueryParameter("first", "integer", "The smaller tree size (at least 1)", Required = true)]
    [QueryParameter("second", "integer", "The larger tree size (default: the current checkpoint's)")]
    [ProducesResponseType<ConsistencyProofResponse>(StatusCodes.Status200OK, "application/json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status503ServiceUnavailable, "application/problem+json")]
    public async Task<IResult> GetConsistencyProof(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", Route = "log/proofs/consistency")] HttpRequest request, CancellationToken cancellationToken) =>
        await LogEndpoints.GetConsistencyProofAsync(
            QueryValues.Get(request, "first"), QueryValues.Get(request, "second"), request.HttpContext, json, log, cancellationToken).ConfigureAwait(false);
}
