using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Options;
using Rtgf.Functions.Http;
using Rtgf.Pipeline.Calendar;
using HttpJsonOptions = Microsoft.AspNetCore.Http.Json.JsonOptions;

namespace Rtgf.Functions.Endpoints;

/// <summary>The calendar of the public API (<see cref="CalendarEndpoints"/>): public holidays per state and regulatory key dates.</summary>
public sealed class CalendarFunctions(CalendarReader calendar, TimeProvider time, IOptions<HttpJsonOptions> json)
{
    [Function(nameof(ListCalendar))]
    [Tags("public-api"), EndpointSummary("Public holidays per state and regulatory key dates, ordered by date, within a window of at most 731 days")]
    [QueryParameter("state", "string", "A state or territory code (its holidays, and its and national key dates) or national (national key dates only)")]
    [QueryParameter("from", "string", "First date, yyyy-MM-dd (default today, UTC)")]
    [QueryParameter("to", "string", "Last date, yyyy-MM-dd (default 365 days after from; at most 731 days after it)")]
    [QueryParameter("kind", "string", "holiday or key-date")]
    [QueryParameter("cursor", "string", "The nextCursor of the previous page")]
    [QueryParameter("limit", "integer", "Items per page, 1 to 500 (default 100)")]
    [ProducesResponseType<CalendarPage>(StatusCodes.Status200OK, "application/json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    public Task<IResult> ListCalendar(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", Route = "v1/calendar")] HttpRequest request, CancellationToken cancellationToken) =>
        CalendarEndpoints.ListAsync(request, calendar, time, json.Value.SerializerOptions, cancellationToken);
}
