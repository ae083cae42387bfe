using System.Globalization;
using Azure;
using Microsoft.AspNetCore.Http.HttpResults;
using Rtgf.Azure.Traffic;
using Rtgf.Functions.Http;
using Rtgf.Pipeline.Operations.Traffic;

namespace Rtgf.Functions.Endpoints;

/// <summary><c>GET /ops/traffic</c>: the snapshot days asked for that are complete, and a page of their hour rows.</summary>
internal sealed record TrafficReport(string From, string To, IReadOnlyList<TrafficDayView> Days, IReadOnlyList<TrafficHourView> Rows, string? NextCursor);

/// <summary>A complete snapshot day: its requests, the records the writers could not log, and its hour rows.</summary>
internal sealed record TrafficDayView(string Day, long Requests, long Dropped, int Rows);

/// <summary>One hour of one route under one plan with one status class; latencies in milliseconds (histogram: <c>docs/spec/operations.md#traffic</c>).</summary>
internal sealed record TrafficHourView(
    string Day, int Hour, string Route, string Plan, string StatusClass, long Count, long Errors, long RequestBytes, long ResponseBytes,
    double P50Ms, double P95Ms, double P99Ms, IReadOnlyList<long> Histogram);

/// <summary>
/// Reads the daily traffic snapshot (docs/spec/operations.md#traffic). <c>from</c> and <c>to</c> are UTC days
/// (<c>yyyy-MM-dd</c>, default yesterday, at most <see cref="MaxDays"/> days); <c>route</c> (a route template as the
/// function index has it) and <c>plan</c> filter exactly; <c>limit</c> and <c>cursor</c> page the rows.
/// </summary>
internal static class TrafficEndpoints
{
    public const int DefaultLimit = 200;
    public const int MaxLimit = 1000;
    public const int MaxDays = 92;
    public const int MaxFilterLength = 200;

    public static async Task<Results<Ok<TrafficReport>, ProblemHttpResult>> GetAsync(
        HttpRequest request, TableTrafficDaily daily, TimeProvider time, CancellationToken cancellationToken)
    {
        if (!PageRequest.TryRead(request, DefaultLimit, MaxLimit, out var page, out var invalid))
        {
            return invalid;
        }

        var yesterday = TrafficDays.Today(time).AddDays(-1);
        if (!TryDay(request, "from", out var from) || !TryDay(request, "to", out var to))
        {
            return ApiProblem.InvalidRequest("'from' and 'to' are UTC days written yyyy-MM-dd.");
        }

        var last = to ?? (from is { } f && f > yesterday ? f : yesterday);
        var first = from ?? last;
        if (first > last)
        {
            return ApiProblem.InvalidRequest("'from' is after 'to'.");
        }

        if (last.DayNumber - first.DayNumber + 1 > MaxDays)
        {
            return ApiProblem.InvalidRequest($"Ask for at most {MaxDays} days at a time.");
        }

        var route = QueryValues.Get(request, "route");
        var plan = QueryValues.Get(request, "plan");
        if (route is { Length: 0 or > MaxFilterLength } || plan is { Length: 0 or > MaxFilterLength })
        {
            return ApiProblem.InvalidRequest($"'route' and 'plan' are 1 to {MaxFilterLength} characters.");
        }

        string? continuation = null;
        if (page.Continuation is not null && (continuation = TrafficCursor.Read(page.Continuation, first, last, route, plan)) is null)
        {
            return ApiProblem.InvalidRequest("'cursor' is not a cursor this API gave out for this from, to, route and plan.");
        }

        IReadOnlyList<TrafficDayMarker> days;
        TrafficHourPage rows;
        try
        {
            days = await daily.DaysAsync(first, last, cancellationToken).ConfigureAwait(false);
            rows = await daily.ListAsync(first, last, route, plan, page.Limit, continuation, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException e) when (e.Status == StatusCodes.Status400BadRequest && page.Continuation is not null)
        {
            return ApiProblem.InvalidRequest("'cursor' is not a cursor this API gave out.");
        }

        return TypedResults.Ok(new TrafficReport(
            TrafficDays.Iso(first),
            TrafficDays.Iso(last),
            [.. days.Select(d => new TrafficDayView(TrafficDays.Iso(d.Day), d.Requests, d.Dropped, d.Rows))],
            [.. rows.Rows.Select(h => new TrafficHourView(
                TrafficDays.Iso(h.Day), h.Hour, h.Route, h.Plan, h.StatusClass, h.Count, h.Errors, h.RequestBytes, h.ResponseBytes,
                h.P50Milliseconds, h.P95Milliseconds, h.P99Milliseconds, h.Histogram))],
            rows.Next is { } next ? ContinuationCursor.Encode(TrafficCursor.Write(next, first, last, route, plan)) : null));
    }

    private static bool TryDay(HttpRequest request, string name, out DateOnly? day)
    {
        day = null;
        if (QueryValues.Get(request, name) is not { } text)
        {
            return true;
        }

        if (!DateOnly.TryParseExact(text, TrafficDays.IsoDayFormat, CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed))
        {
            return false;
        }

        day = parsed;
        return true;
    }
}
