using Rtgf.CustomHandler.Catalog;
using Rtgf.CustomHandler.Hosting;

namespace Rtgf.Functions.Endpoints;

/// <summary>The revocations area: revocation epochs and status lists. Its resources arrive with the issues that build them.</summary>
internal static class RevocationEndpoints
{
    public static FunctionDefinition Function { get; } =
        FunctionDefinition.Http("revocations", "revocations/{*path}", AuthorizationLevel.Anonymous, "get", "head");

    public static RouteGroupBuilder MapRevocationEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapFunction(Function);
        group.MapAreaIndex(Function, "Revocation epochs and status lists");
        return group;
    }
}
