using Rtgf.CustomHandler.Catalog;
using Rtgf.CustomHandler.Hosting;

namespace Rtgf.Functions.Endpoints;

/// <summary>The verifier area: verification of RTGF tokens and their inclusion proofs. Its resources arrive with the issues that build them.</summary>
internal static class VerifierEndpoints
{
    public static FunctionDefinition Function { get; } =
        FunctionDefinition.Http("verifier", "verify/{*path}", AuthorizationLevel.Anonymous, "get", "post");

    public static RouteGroupBuilder MapVerifierEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapFunction(Function);
        group.MapAreaIndex(Function, "Verification of RTGF tokens and their inclusion proofs");
        return group;
    }
}
