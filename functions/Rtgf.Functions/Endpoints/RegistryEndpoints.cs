using Microsoft.AspNetCore.Http.HttpResults;
using Rtgf.CustomHandler.Catalog;
using Rtgf.CustomHandler.Hosting;

namespace Rtgf.Functions.Endpoints;

/// <summary>A published API area: its root path and the key it needs.</summary>
public sealed record DiscoveryArea(string Name, string Path, string AuthLevel);

/// <summary>The discovery document: where each API area and the OpenAPI description live.</summary>
public sealed record DiscoveryDocument(IReadOnlyList<DiscoveryArea> Areas, string OpenApi);

/// <summary>
/// The registry's <c>/.well-known/</c> root. Tokens, JWKS, the catalog and the log get their own roots (and
/// functions) as they are built; discovery lists whatever the catalogue holds.
/// </summary>
internal static class RegistryEndpoints
{
    public static FunctionDefinition Function { get; } =
        FunctionDefinition.Http("registry", ".well-known/{*path}", AuthorizationLevel.Anonymous, "get", "head");

    public static RouteGroupBuilder MapRegistryEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapFunction(Function);
        group.MapAreaIndex(Function, "Discovery documents for the RTGF registry");
        group.MapGet("/rtgf-configuration", GetConfiguration)
            .WithName("GetRtgfConfiguration")
            .WithSummary("List the API areas of this deployment");
        return group;
    }

    internal static Ok<DiscoveryDocument> GetConfiguration(FunctionCatalog catalog)
    {
        var areas = catalog
            .Where(f => f.Trigger is HttpTrigger)
            .Select(f => (f.Name, Http: (HttpTrigger)f.Trigger))
            .Select(f => new DiscoveryArea(f.Name, f.Http.PathPrefix, f.Http.AuthLevel.ToString().ToLowerInvariant()))
            .OrderBy(a => a.Path, StringComparer.Ordinal)
            .ToList();
        return TypedResults.Ok(new DiscoveryDocument(areas, OpenApiEndpoints.DocumentPath));
    }
}
