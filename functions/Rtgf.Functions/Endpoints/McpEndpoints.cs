using Rtgf.CustomHandler.Catalog;
using Rtgf.CustomHandler.Hosting;

namespace Rtgf.Functions.Endpoints;

/// <summary>The mcp area: the MCP tools endpoint. Its resources arrive with the issues that build them.</summary>
internal static class McpEndpoints
{
    public static FunctionDefinition Function { get; } =
        FunctionDefinition.Http("mcp", "mcp/{*path}", AuthorizationLevel.Function, "get", "post", "delete");

    public static RouteGroupBuilder MapMcpEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapFunction(Function);
        group.MapAreaIndex(Function, "The MCP tools endpoint");
        return group;
    }
}
