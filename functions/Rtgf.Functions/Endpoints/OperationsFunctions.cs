using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Rtgf.Functions.Http;
using Rtgf.Functions.Log;
using Rtgf.Pipeline.Freeze;
using Rtgf.Pipeline.Revocation;
using Rtgf.Pipeline.Watchtower;

namespace Rtgf.Functions.Endpoints;

/// <summary>
/// The operator views and actions under <c>/ops</c> (admin key; <see cref="OperationsEndpoints"/>). The function list and
/// the operator OpenAPI document are in <see cref="IndexFunctions"/>: they need no storage.
/// </summary>
public sealed class OperationsFunctions(
    TimeProvider time, ISyncStatusReader sync, IPublicationFreeze freeze, IRevocationService revocations, TransparencyLog log, IConfiguration settings,
    OperatorAudit audit)
{
    [Function(nameof(GetSyncStatus))]
    [Tags("operations"), EndpointSummary("Each source's last sync, staleness and last error, and the publication freeze")]
    [ProducesResponseType<SyncStatusDocument>(StatusCodes.Status200OK, "application/json")]
    public async Task<IResult> GetSyncStatus(
        [HttpTrigger(AuthorizationLevel.Admin, "get", Route = "ops/sync-status")] HttpRequest request, CancellationToken cancellationToken) =>
        await OperationsEndpoints.GetSyncStatusAsync(time, sync, freeze, cancellationToken).ConfigureAwait(false);

    [Function(nameof(GetFreeze))]
    [Tags("operations"), EndpointSummary("The publication freeze state")]
    [ProducesResponseType<FreezeState>(StatusCodes.Status200OK, "application/json")]
    public async Task<IResult> GetFreeze(
        [HttpTrigger(AuthorizationLevel.Admin, "get", Route = "ops/freeze")] HttpRequest request, CancellationToken cancellationToken) =>
        await OperationsEndpoints.GetFreezeAsync(freeze, cancellationToken).ConfigureAwait(false);

    [Function(nameof(ClearFreeze))]
    [Tags("operations"), EndpointSummary("Clear the publication freeze with a reason (logged as an operator action)")]
    [Consumes(typeof(ClearFreezeRequest), "application/json")]
    [ProducesResponseType<FreezeState>(StatusCodes.Status200OK, "application/json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status409Conflict, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status413PayloadTooLarge, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status415UnsupportedMediaType, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status503ServiceUnavailable, "application/problem+json")]
    public async Task<IResult> ClearFreeze(
        [HttpTrigger(AuthorizationLevel.Admin, "post", Route = "ops/freeze/clear")] HttpRequest request, CancellationToken cancellationToken) =>
        await OperationsEndpoints.ClearFreezeAsync(request, freeze, settings, audit, cancellationToken).ConfigureAwait(false);

    [Function(nameof(AuditLog))]
    [Tags("operations"), EndpointSummary("Audit the whole transparency log: checkpoint signature, every entry bundle and tile, the root, stored objects unchanged")]
    [ProducesResponseType<LogAuditDocument>(StatusCodes.Status200OK, "application/json")]
    public async Task<IResult> AuditLog(
        [HttpTrigger(AuthorizationLevel.Admin, "get", Route = "ops/log/audit")] HttpRequest request, CancellationToken cancellationToken) =>
        await OperationsEndpoints.AuditLogAsync(log, cancellationToken).ConfigureAwait(false);

    [Function(nameof(RevokeToken))]
    [Tags("operations"), EndpointSummary("Revoke a token manually with a reason (status bit, epoch, log entry)")]
    [Consumes(typeof(ManualRevocationRequest), "application/json")]
    [ProducesResponseType<RevocationRecord>(StatusCodes.Status200OK, "application/json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status409Conflict, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status413PayloadTooLarge, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status415UnsupportedMediaType, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status503ServiceUnavailable, "application/problem+json")]
    public async Task<IResult> RevokeToken(
        [HttpTrigger(AuthorizationLevel.Admin, "post", Route = "ops/revocations")] HttpRequest request, CancellationToken cancellationToken) =>
        await OperationsEndpoints.RevokeAsync(request, revocations, settings, audit, cancellationToken).ConfigureAwait(false);
}
