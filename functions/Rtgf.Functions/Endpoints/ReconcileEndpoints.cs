using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Rtgf.Functions.Billing.QuickBooks;
using Rtgf.Functions.Http;

namespace Rtgf.Functions.Endpoints;

/// <summary><c>/ops/billing/reconcile/reports…</c>: the stored mismatch reports of the <c>qb-reconcile</c> timer.</summary>
internal static class ReconcileEndpoints
{
    public const int DefaultDays = 31;
    public const int MaxDays = 366;

    public static async Task<Results<Ok<ReconcileReportList>, ProblemHttpResult>> ListAsync(HttpRequest request, ReconcileReportStore reports, CancellationToken cancellationToken)
    {
        var limit = DefaultDays;
        if (QueryValues.Get(request, "limit") is { } text
            && (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit is < 1 or > MaxDays))
        {
            return ApiProblem.InvalidRequest($"limit must be a whole number from 1 to {MaxDays}.");
        }

        return TypedResults.Ok(new ReconcileReportList(await reports.DaysAsync(limit, cancellationToken).ConfigureAwait(false)));
    }

    public static async Task<Results<Ok<ReconcileReport>, ProblemHttpResult>> GetAsync(string day, ReconcileReportStore reports, CancellationToken cancellationToken)
    {
        if (!DateOnly.TryParseExact(day, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            return ApiProblem.InvalidRequest("The day must be a date, yyyy-MM-dd.");
        }

        return await reports.GetAsync(date, cancellationToken).ConfigureAwait(false) is { } report
            ? TypedResults.Ok(report)
            : ApiProblem.NotFound($"There is no reconcile report for {day}: the qb-reconcile timer writes yesterday's (and any missed day, up to QuickBooks:ReportDays back) on each day's first run.");
    }
}

/// <summary>The days with a report, newest first (yyyy-MM-dd).</summary>
public sealed record ReconcileReportList(IReadOnlyList<string> Days);
