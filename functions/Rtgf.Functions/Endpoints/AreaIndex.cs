using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Metadata;
using Rtgf.CustomHandler.Catalog;
using Rtgf.CustomHandler.Hosting;

namespace Rtgf.Functions.Endpoints;

/// <summary>What an API area serves: its function, key level and routes, read from the live endpoint table.</summary>
public sealed record AreaDescription(string Area, string Path, string AuthLevel, string Summary, IReadOnlyList<AreaRoute> Routes);

/// <summary>One route of an area.</summary>
public sealed record AreaRoute(IReadOnlyList<string> Methods, string Path, string? Name, string? Summary);

/// <summary>
/// The root of every area (<c>GET /verify</c>, …) describes the area, so clients and operators can see which
/// routes an area serves in this deployment.
/// </summary>
internal static class AreaIndex
{
    public static RouteHandlerBuilder MapAreaIndex(this RouteGroupBuilder group, FunctionDefinition function, string summary) =>
        group.MapGet(string.Empty, (EndpointDataSource endpoints) => GetAreaIndex(function, summary, endpoints))
            .WithName(function.Name + "-index")
            .WithSummary($"Describe the {function.Name} area");

    internal static Ok<AreaDescription> GetAreaIndex(FunctionDefinition function, string summary, EndpointDataSource endpoints)
    {
        var http = (HttpTrigger)function.Trigger;
        var routes = endpoints.Endpoints
            .OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<FunctionEndpointMetadata>()?.Function.Name == function.Name)
            .Select(e => new AreaRoute(
                e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods.Order(StringComparer.Ordinal).ToList() ?? [],
                "/" + (e.RoutePattern.RawText ?? string.Empty).Trim('/'),
                e.Metadata.GetMetadata<IEndpointNameMetadata>()?.EndpointName,
                e.Metadata.GetMetadata<IEndpointSummaryMetadata>()?.Summary))
            .OrderBy(r => r.Path, StringComparer.Ordinal)
            .ThenBy(r => string.Join(',', r.Methods), StringComparer.Ordinal)
            .ToList();
        return TypedResults.Ok(new AreaDescription(function.Name, http.PathPrefix, http.AuthLevel.ToString().ToLowerInvariant(), summary, routes));
    }
}
