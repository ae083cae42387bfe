using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Rtgf.Functions.Billing.QuickBooks;
using Rtgf.Functions.Http;

namespace Rtgf.Functions.Endpoints;

/// <summary>The QuickBooks reconcile's daily mismatch reports for operators (admin key). Handlers in <see cref="ReconcileEndpoints"/>.</summary>
public sealed class ReconcileFunctions(ReconcileReportStore reports)
{
    [Function(nameof(ListReconcileReports))]
    [Tags("operations"), EndpointSummary("The days that have a Stripe/QuickBooks mismatch report, newest first")]
    [QueryParameter("limit", "integer", "Days to list, 1 to 366 (default 31)")]
    [ProducesResponseType<ReconcileReportList>(StatusCodes.Status200OK, "application/json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    public async Task<IResult> ListReconcileReports(
        [HttpTrigger(AuthorizationLevel.Admin, "get", Route = "ops/billing/reconcile/reports")] HttpRequest request, CancellationToken cancellationToken) =>
        await ReconcileEndpoints.ListAsync(request, reports, cancellationToken).ConfigureAwait(false);

    [Function(nameof(GetReconcileReport))]
    [Tags("operations"), EndpointSummary("One day's Stripe/QuickBooks mismatch report: payments missing in QuickBooks, extra documents, amounts that differ")]
    [ProducesResponseType<ReconcileReport>(StatusCodes.Status200OK, "application/json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    public async Task<IResult> GetReconcileReport(
        [HttpTrigger(AuthorizationLevel.Admin, "get", Route = "ops/billing/reconcile/reports/{day}")] HttpRequest request, CancellationToken cancellationToken) =>
        await ReconcileEndpoints.GetAsync(QueryValues.Route(request, "day") ?? string.Empty, reports, cancellationToken).ConfigureAwait(false);
}
