using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Rtgf.Functions.Telemetry;

namespace Rtgf.Functions.Endpoints;

/// <summary>
/// <c>GET /ops/metrics</c> (admin key, like the other operator views): this instance's metric instruments since it started,
/// so the local runner shows the golden signals and custom metrics without Azure (docs/spec/telemetry.md#local).
/// </summary>
public sealed class MetricsFunctions(TimeProvider time, MetricsSnapshot metrics)
{
    [Function(nameof(GetMetrics))]
    [Tags("operations"), EndpointSummary("This instance's metrics since it started: golden signals per function and the custom rtgf.* instruments")]
    [ProducesResponseType<MetricsDocument>(StatusCodes.Status200OK, "application/json")]
    public IResult GetMetrics([HttpTrigger(AuthorizationLevel.Admin, "get", Route = "ops/metrics")] HttpRequest request)
    {
        var document = metrics.Read(time.GetUtcNow());
        return TypedResults.Ok(document);
    }
}
