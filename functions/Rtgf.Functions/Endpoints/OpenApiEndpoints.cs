using Rtgf.CustomHandler.Catalog;
using Rtgf.CustomHandler.Hosting;

namespace Rtgf.Functions.Endpoints;

/// <summary>The OpenAPI description of every area, at <c>/openapi/v1.json</c>.</summary>
internal static class OpenApiEndpoints
{
    public const string DocumentPath = "/openapi/v1.json";

    public static FunctionDefinition Function { get; } =
        FunctionDefinition.Http("openapi", "openapi/{*path}", AuthorizationLevel.Anonymous, "get");

    public static RouteGroupBuilder MapOpenApiEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapFunction(Function);
        group.MapAreaIndex(Function, "OpenAPI descriptions of the RTGF APIs");
        group.MapOpenApi("/{documentName}.json");
        return group;
    }
}
