using Rtgf.Functions.OpenApi;

namespace Rtgf.Functions.Endpoints;

/// <summary>
/// The OpenAPI descriptions: the public one at <c>/openapi/v1.json</c> (anonymous) without the operator routes, and the
/// operator one at <c>/ops/openapi/v1.json</c>, in the operations area so the same admin key guards it (ADR 0010). Both
/// are generated from the functions (<see cref="FunctionsOpenApi"/>).
/// </summary>
internal static class OpenApiEndpoints
{
    public const string DocumentPath = "/openapi/v1.json";

    internal static IResult Write(OpenApiDocuments documents, bool operatorDocument) =>
        TypedResults.Text(operatorDocument ? documents.Operator : documents.Public, "application/json; charset=utf-8");
}
