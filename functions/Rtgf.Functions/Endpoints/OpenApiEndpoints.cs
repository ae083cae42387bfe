using System.Globalization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Rtgf.CustomHandler.Catalog;
using Rtgf.CustomHandler.Hosting;

namespace Rtgf.Functions.Endpoints;

/// <summary>
/// The OpenAPI descriptions: the public one at <c>/openapi/v1.json</c> (anonymous) without the operator routes, and the
/// operator one at <c>/ops/openapi/v1.json</c>, inside the <c>operations</c> function so the same admin key guards it
/// (ADR 0010).
/// </summary>
internal static class OpenApiEndpoints
{
    public const string DocumentPath = "/openapi/v1.json";
    private const string PublicDocument = "v1";
    private const string OperatorDocument = "ops";

    public static FunctionDefinition Function { get; } =
        FunctionDefinition.Http("openapi", "openapi/{*path}", AuthorizationLevel.Anonymous, "get");

    public static IServiceCollection AddRtgfOpenApi(this IServiceCollection services)
    {
        services.AddOpenApi(PublicDocument, options => options.ShouldInclude = description => !IsOperator(description.RelativePath));
        services.AddOpenApi(OperatorDocument, options => options.ShouldInclude = description => IsOperator(description.RelativePath));
        return services;
    }

    public static RouteGroupBuilder MapOpenApiEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapFunction(Function);
        group.MapAreaIndex(Function, "OpenAPI descriptions of the RTGF APIs");
        group.MapOpenApi("/" + PublicDocument + ".json"); // only the public document: no route parameter names another
        return group;
    }

    /// <summary>The operator document, mapped into the operations group (<c>/ops</c>).</summary>
    public static RouteHandlerBuilder MapOperatorOpenApi(this RouteGroupBuilder operations) =>
        operations.MapGet("/openapi/v1.json", WriteOperatorDocumentAsync).ExcludeFromDescription();

    private static async Task<IResult> WriteOperatorDocumentAsync(
        [FromKeyedServices(OperatorDocument)] IOpenApiDocumentProvider provider, CancellationToken cancellationToken)
    {
        var document = await provider.GetOpenApiDocumentAsync(cancellationToken).ConfigureAwait(false);
        using var text = new StringWriter(CultureInfo.InvariantCulture);
        document.SerializeAsV31(new OpenApiJsonWriter(text));
        return TypedResults.Text(text.ToString(), "application/json; charset=utf-8");
    }

    private static bool IsOperator(string? relativePath) =>
        relativePath is { } path && (path == "ops" || path.StartsWith("ops/", StringComparison.Ordinal));
}
