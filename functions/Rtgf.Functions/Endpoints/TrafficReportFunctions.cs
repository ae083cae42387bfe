using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Rtgf.Azure.Traffic;
using Rtgf.Functions.Http;

namespace Rtgf.Functions.Endpoints;

/// <summary><c>GET /ops/traffic</c> (admin key; <see cref="TrafficEndpoints"/>).</summary>
public sealed class TrafficReportFunctions(TableTrafficDaily daily, TimeProvider time)
{
    [Function(nameof(GetTraffic))]
    [Tags("operations"), EndpointSummary("Daily traffic per hour, route, plan and status class (the traffic-snapshot table), a page at a time")]
    [QueryParameter("from", "string", "First UTC day, yyyy-MM-dd (default: to, or yesterday)")]
    [QueryParameter("to", "string", "Last UTC day, yyyy-MM-dd (default: yesterday; at most 92 days from 'from')")]
    [QueryParameter("route", "string", "Only this route template (as in GET /ops/functions, e.g. verify)")]
    [QueryParameter("plan", "string", "Only this plan (anonymous for callers without a key)")]
    [QueryParameter("cursor", "string", "The nextCursor of the previous page")]
    [QueryParameter("limit", "integer", "Rows per page, 1 to 1000 (default 200)")]
    [ProducesResponseType<TrafficReport>(StatusCodes.Status200OK, "application/json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    public async Task<IResult> GetTraffic(
        [HttpTrigger(AuthorizationLevel.Admin, "get", Route = "ops/traffic")] HttpRequest request, CancellationToken cancellationToken) =>
        await TrafficEndpoints.GetAsync(request, daily, time, cancellationToken).ConfigureAwait(false);
}
