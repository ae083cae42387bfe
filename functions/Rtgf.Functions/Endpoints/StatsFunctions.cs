using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Options;
using Rtgf.Functions.Http;
using Rtgf.Register;
using Rtgf.Register.Stats;
using HttpJsonOptions = Microsoft.AspNetCore.Http.Json.JsonOptions;

namespace Rtgf.Functions.Endpoints;

/// <summary>The statistics of the public catalogue API (<see cref="StatsEndpoints"/>, docs/spec/stats.md).</summary>
public sealed class StatsFunctions(
    RegisterGenerations generations, PublicationStatsSource stats, StatsHistory history, IOptions<HttpJsonOptions> json, ILogger<StatsFunctions> logger)
{
    [Function(nameof(GetRegisterStats))]
    [Tags("public-api"), EndpointSummary("Statistics of the current publication: RTOs by status, state and manager, components by type and status, CRICOS, TEQSA, sanctions, and the shortage, vacancy and labour aggregates")]
    [ProducesResponseType<PublicationStats>(StatusCodes.Status200OK, "application/json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status503ServiceUnavailable, "application/problem+json")]
    public Task<IResult> GetRegisterStats(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", Route = "v1/stats")] HttpRequest request, CancellationToken cancellationToken) =>
        StatsEndpoints.GetStatsAsync(request, generations, stats, logger, cancellationToken);

    [Function(nameof(GetStatsHistory))]
    [Tags("public-api"), EndpointSummary("The statistics history: one entry per publication (when, which build, headline counts), newest first")]
    [QueryParameter("cursor", "string", "The nextCursor of the previous page")]
    [QueryParameter("limit", "integer", "Items per page, 1 to 500 (default 50)")]
    [ProducesResponseType<StatsHistoryPage>(StatusCodes.Status200OK, "application/json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    public Task<IResult> GetStatsHistory(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", Route = "v1/stats/history")] HttpRequest request, CancellationToken cancellationToken) =>
        StatsEndpoints.GetStatsHistoryAsync(request, history, json.Value.SerializerOptions, cancellationToken);
}
