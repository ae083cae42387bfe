using Rtgf.Functions.Functions;
using Rtgf.Functions.OpenApi;

namespace Rtgf.Functions.Endpoints;

/// <summary>
/// The OpenAPI descriptions: the public one at <c>/openapi/v1.json</c> (anonymous) without the operator routes, and the
/// operator one at <c>/ops/openapi/v1.json</c>, in the operations area so the same admin key guards it (ADR 0010). Both
/// are generated from the function index (<see cref="FunctionsOpenApi"/>) once per process: the functions never change
/// while it runs.
/// </summary>
internal static class OpenApiEndpoints
{
    public const string DocumentPath = "/openapi/v1.json";

    internal static IResult Write(FunctionIndex index, bool operatorDocument) =>
        TypedResults.Text(FunctionsOpenApi.Write(index, operatorDocument), "application/json; charset=utf-8");
}
