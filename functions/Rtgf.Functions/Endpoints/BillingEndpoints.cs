using Rtgf.CustomHandler.Catalog;
using Rtgf.CustomHandler.Hosting;

namespace Rtgf.Functions.Endpoints;

/// <summary>The billing-webhook area: billing webhooks (Stripe; requests are verified by signature, not by key). Its resources arrive with the issues that build them.</summary>
internal static class BillingEndpoints
{
    public static FunctionDefinition Function { get; } =
        FunctionDefinition.Http("billing-webhook", "billing/{*path}", AuthorizationLevel.Anonymous, "get", "post");

    public static RouteGroupBuilder MapBillingEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapFunction(Function);
        group.MapAreaIndex(Function, "Billing webhooks (Stripe; requests are verified by signature, not by key)");
        return group;
    }
}
