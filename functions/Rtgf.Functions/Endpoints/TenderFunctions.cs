using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Options;
using Rtgf.Functions.Http;
using Rtgf.Pipeline.Ingest;
using HttpJsonOptions = Microsoft.AspNetCore.Http.Json.JsonOptions;

namespace Rtgf.Functions.Endpoints;

/// <summary>AusTender contract notices and approaches to market (<see cref="TenderEndpoints"/>, docs/spec/api.md).</summary>
public sealed class TenderFunctions(IRecordTables tables, IOptions<HttpJsonOptions> json)
{
    [Function(nameof(ListContracts))]
    [Tags("public-api"), EndpointSummary("List AusTender contract notices kept by tender-sync (education and training, or an RTO as party), ordered by contract id")]
    [QueryParameter("rto", "string", "An RTO code among the contract's rtoCodes")]
    [QueryParameter("category", "string", "A UNSPSC code or prefix of 2, 4, 6 or 8 digits, e.g. 86")]
    [QueryParameter("from", "string", "First day (yyyy-MM-dd, UTC) of lastModified")]
    [QueryParameter("to", "string", "Last day (yyyy-MM-dd, UTC) of lastModified")]
    [QueryParameter("cursor", "string", "The nextCursor of the previous page")]
    [QueryParameter("limit", "integer", "Items per page, 1 to 500 (default 50)")]
    [ProducesResponseType<TenderPage<ContractNotice>>(StatusCodes.Status200OK, "application/json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    public Task<IResult> ListContracts(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", Route = "v1/contracts")] HttpRequest request, CancellationToken cancellationToken) =>
        TenderEndpoints.ListContractsAsync(request, tables, json.Value.SerializerOptions, cancellationToken);

    [Function(nameof(GetContract))]
    [Tags("public-api"), EndpointSummary("An AusTender contract notice by CN number: current facts, amendments and matched RTO codes")]
    [ProducesResponseType<ContractNotice>(StatusCodes.Status200OK, "application/json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    public Task<IResult> GetContract(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", Route = "v1/contracts/{contractId}")] HttpRequest request, CancellationToken cancellationToken) =>
        TenderEndpoints.GetContractAsync(request, tables, json.Value.SerializerOptions, cancellationToken);

    [Function(nameof(ListTenders))]
    [Tags("public-api"), EndpointSummary("List AusTender approaches to market in the education and training segment, ordered by ATM id")]
    [QueryParameter("category", "string", "A UNSPSC code or prefix of 2, 4, 6 or 8 digits, e.g. 8610")]
    [QueryParameter("from", "string", "First day (yyyy-MM-dd, UTC) of publishedDate")]
    [QueryParameter("to", "string", "Last day (yyyy-MM-dd, UTC) of publishedDate")]
    [QueryParameter("cursor", "string", "The nextCursor of the previous page")]
    [QueryParameter("limit", "integer", "Items per page, 1 to 500 (default 50)")]
    [ProducesResponseType<TenderPage<ApproachToMarket>>(StatusCodes.Status200OK, "application/json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    public Task<IResult> ListTenders(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", Route = "v1/tenders")] HttpRequest request, CancellationToken cancellationToken) =>
        TenderEndpoints.ListTendersAsync(request, tables, json.Value.SerializerOptions, cancellationToken);

    [Function(nameof(GetTender))]
    [Tags("public-api"), EndpointSummary("An AusTender approach to market by ATM id")]
    [ProducesResponseType<ApproachToMarket>(StatusCodes.Status200OK, "application/json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    public Task<IResult> GetTender(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", Route = "v1/tenders/{atmId}")] HttpRequest request, CancellationToken cancellationToken) =>
        TenderEndpoints.GetTenderAsync(request, tables, json.Value.SerializerOptions, cancellationToken);
}
