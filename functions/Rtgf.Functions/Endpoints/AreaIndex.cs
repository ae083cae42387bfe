using Microsoft.AspNetCore.Http.HttpResults;
using Rtgf.Functions.Functions;

namespace Rtgf.Functions.Endpoints;

/// <summary>What an API area serves: its name, root path, key level and functions, read from the function index.</summary>
public sealed record AreaDescription(string Area, string Path, string AuthLevel, string Summary, IReadOnlyList<AreaRoute> Routes);

/// <summary>One route of an area: the function serving it.</summary>
public sealed record AreaRoute(IReadOnlyList<string> Methods, string Path, string? Name, string? Summary);

/// <summary>
/// The root of every area (<c>GET /verify</c>, …) describes the area, so clients and operators can see which routes an area
/// serves in this deployment. The index function's <c>[EndpointDescription]</c> is the area's summary.
/// </summary>
internal static class AreaIndex
{
    internal static Ok<AreaDescription> Describe(FunctionIndex index, string indexFunction)
    {
        var area = index.AreaOf(indexFunction);
        var routes = area.Functions
            .Select(f => new AreaRoute(f.Methods, f.Path!, f.Name, f.Summary))
            .OrderBy(r => r.Path, StringComparer.Ordinal)
            .ThenBy(r => string.Join(',', r.Methods), StringComparer.Ordinal)
            .ToList();
        return TypedResults.Ok(new AreaDescription(area.Name, area.Path, area.AuthLevel, index[indexFunction].Description ?? string.Empty, routes));
    }
}
