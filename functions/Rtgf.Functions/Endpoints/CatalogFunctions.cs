using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Rtgf.Functions.Http;
using Rtgf.Pipeline.Registry;

namespace Rtgf.Functions.Endpoints;

/// <summary>The catalog: families and each family's tokens (<see cref="CatalogEndpoints"/>).</summary>
public sealed class CatalogFunctions(ITokenRegistry registry)
{
    [Function(nameof(GetCatalog))]
    [Tags("catalog"), EndpointSummary("Families, their token counts and the latest publication")]
    [ProducesResponseType<CatalogDocument>(StatusCodes.Status200OK, "application/json")]
    public async Task<IResult> GetCatalog(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", Route = "catalog")] HttpRequest request, CancellationToken cancellationToken) =>
        await CatalogEndpoints.GetCatalogAsync(registry, cancellationToken).ConfigureAwait(false);

    [Function(nameof(GetCatalogFamily))]
    [Tags("catalog"), EndpointSummary("A family's current tokens, ordered by subject, with cursor paging")]
    [QueryParameter("cursor", "string", "The nextCursor of the previous page")]
    [QueryParameter("limit", "integer", "Tokens per page, 1 to 500 (default 100)")]
    [ProducesResponseType<CatalogPage>(StatusCodes.Status200OK, "application/json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    public async Task<IResult> GetCatalogFamily(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", Route = "catalog/{family}")] HttpRequest request, CancellationToken cancellationToken) =>
        await CatalogEndpoints.GetFamilyPageAsync(QueryValues.Route(request, "family") ?? string.Empty, QueryValues.Get(request, "cursor"), QueryValues.Get(request, "limit"), registry, cancellationToken).ConfigureAwait(false);
}
