using Rtgf.CustomHandler.Catalog;
using Rtgf.CustomHandler.Hosting;

namespace Rtgf.Functions.Endpoints;

/// <summary>The public-api area: the public catalogue API (Bearer API keys, checked by the app). Its resources arrive with the issues that build them.</summary>
internal static class PublicApiEndpoints
{
    public static FunctionDefinition Function { get; } =
        FunctionDefinition.Http("public-api", "v1/{*path}", AuthorizationLevel.Anonymous, "get", "post", "head");

    public static RouteGroupBuilder MapPublicApiEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapFunction(Function);
        group.MapAreaIndex(Function, "The public catalogue API (Bearer API keys, checked by the app)");
        return group;
    }
}
