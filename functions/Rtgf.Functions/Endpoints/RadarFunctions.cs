using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Options;
using Rtgf.Functions.Http;
using Rtgf.Pipeline.Radar;
using HttpJsonOptions = Microsoft.AspNetCore.Http.Json.JsonOptions;

namespace Rtgf.Functions.Endpoints;

/// <summary>An RTO's radar feed on the public API (<see cref="RadarEndpoints"/>, docs/spec/radar.md).</summary>
public sealed class RadarFunctions(RadarFeed feed, IOptions<HttpJsonOptions> json)
{
    [Function(nameof(ListRtoRadar))]
    [Tags("public-api"), EndpointSummary("An RTO's radar: its items and those every RTO sees (a unit superseded, a scope or registration change, a contract, a tender, a dataset update), oldest first, since a cursor")]
    [QueryParameter("since", "string", "The nextCursor of an earlier answer: only items after it (poll with the last one)")]
    [QueryParameter("limit", "integer", "Items per page, 1 to 500 (default 50)")]
    [ProducesResponseType<RadarPage>(StatusCodes.Status200OK, "application/json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    public Task<IResult> ListRtoRadar(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", Route = "v1/rtos/{code}/radar")] HttpRequest request, CancellationToken cancellationToken) =>
        RadarEndpoints.ListAsync(request, feed, json.Value.SerializerOptions, cancellationToken);
}
