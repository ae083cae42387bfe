using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Rtgf.Azure.Audit;
using Rtgf.Functions.Http;

namespace Rtgf.Functions.Endpoints;

/// <summary>The audit trail of operator actions under <c>/ops/audit</c> (admin key; <see cref="AuditEndpoints"/>).</summary>
public sealed class AuditFunctions(TableAuditTrail trail, TimeProvider time)
{
    [Function(nameof(ListAudit))]
    [Tags("operations"), EndpointSummary("The audit trail of operator actions, newest first, a page at a time")]
    [QueryParameter("from", "string", "Entries at or after this RFC 3339 instant (default: 365 days before 'to')")]
    [QueryParameter("to", "string", "Entries before this RFC 3339 instant (default: now)")]
    [QueryParameter("action", "string", "Only this action, such as api-key.revoked")]
    [QueryParameter("actor", "string", "Only this actor")]
    [QueryParameter("cursor", "string", "The nextCursor of the previous page (same action and actor)")]
    [QueryParameter("limit", "integer", "Entries per page, 1 to 200 (default 50)")]
    [ProducesResponseType<AuditList>(StatusCodes.Status200OK, "application/json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    public async Task<IResult> ListAudit(
        [HttpTrigger(AuthorizationLevel.Admin, "get", Route = "ops/audit")] HttpRequest request, CancellationToken cancellationToken) =>
        await AuditEndpoints.ListAsync(request, trail, time, cancellationToken).ConfigureAwait(false);
}
