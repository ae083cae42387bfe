using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.Azure.Functions.Worker;
using Rtgf.Functions.Functions;
using Rtgf.Functions.OpenApi;

namespace Rtgf.Functions.Endpoints;

/// <summary>
/// The functions that describe the app from its <see cref="FunctionIndex"/> alone: each area's root, the function list and
/// the OpenAPI documents. They need no storage, so they answer in a deployment where none is configured yet. Each belongs to
/// the area of its route (<c>[Tags]</c>); the root's <c>[EndpointDescription]</c> is the area's summary.
/// </summary>
public sealed class IndexFunctions(FunctionIndex index, OpenApiDocuments documents, IConfiguration configuration)
{
    [Function(nameof(DescribeRegistry))]
    [Tags("registry"), EndpointSummary("Describe the registry area"), EndpointDescription("Discovery documents for the RTGF registry")]
    [ProducesResponseType<AreaDescription>(StatusCodes.Status200OK, "application/json")]
    public IResult DescribeRegistry([HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", Route = ".well-known")] HttpRequest request) =>
        AreaIndex.Describe(index, nameof(DescribeRegistry));

    [Function(nameof(DescribeLog))]
    [Tags("log"), EndpointSummary("Describe the log area"), EndpointDescription("The transparency log: checkpoint, tiles, entry bundles and proofs")]
    [ProducesResponseType<AreaDescription>(StatusCodes.Status200OK, "application/json")]
    public IResult DescribeLog([HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", Route = "log")] HttpRequest request) =>
        AreaIndex.Describe(index, nameof(DescribeLog));

    [Function(nameof(DescribeVerifier))]
    [Tags("verifier"), EndpointSummary("Describe the verifier area"), EndpointDescription("Verification of RTGF tokens and their inclusion proofs")]
    [ProducesResponseType<AreaDescription>(StatusCodes.Status200OK, "application/json")]
    public IResult DescribeVerifier([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "verify")] HttpRequest request) =>
        AreaIndex.Describe(index, nameof(DescribeVerifier));

    [Function(nameof(DescribePublicApi))]
    [Tags("public-api"), EndpointSummary("Describe the public-api area"), EndpointDescription("The public catalogue API (the app's own API keys; no host key)")]
    [ProducesResponseType<AreaDescription>(StatusCodes.Status200OK, "application/json")]
    public IResult DescribePublicApi([HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", Route = "v1")] HttpRequest request) =>
        AreaIndex.Describe(index, nameof(DescribePublicApi));

    [Function(nameof(DescribeWebhooks))]
    [Tags("webhooks"), EndpointSummary("Describe the webhooks area"), EndpointDescription("Provider webhooks (Stripe, Resend): verified by signature, not by key")]
    [ProducesResponseType<AreaDescription>(StatusCodes.Status200OK, "application/json")]
    public IResult DescribeWebhooks([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "hooks")] HttpRequest request) =>
        AreaIndex.Describe(index, nameof(DescribeWebhooks));

    [Function(nameof(DescribeOperations))]
    [Tags("operations"), EndpointSummary("Describe the operations area"), EndpointDescription("Operator views and actions (admin key)")]
    [ProducesResponseType<AreaDescription>(StatusCodes.Status200OK, "application/json")]
    public IResult DescribeOperations([HttpTrigger(AuthorizationLevel.Admin, "get", Route = "ops")] HttpRequest request) =>
        AreaIndex.Describe(index, nameof(DescribeOperations));

    [Function(nameof(DescribeOpenApi))]
    [Tags("openapi"), EndpointSummary("Describe the openapi area"), EndpointDescription("OpenAPI descriptions of the RTGF APIs")]
    [ProducesResponseType<AreaDescription>(StatusCodes.Status200OK, "application/json")]
    public IResult DescribeOpenApi([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "openapi")] HttpRequest request) =>
        AreaIndex.Describe(index, nameof(DescribeOpenApi));

    [Function(nameof(GetOpenApiDocument))]
    [Tags("openapi"), EndpointSummary("The OpenAPI description of the public APIs"), ExcludeFromDescription]
    [ProducesResponseType<string>(StatusCodes.Status200OK, "application/json")]
    public IResult GetOpenApiDocument([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "openapi/v1.json")] HttpRequest request) =>
        OpenApiEndpoints.Write(documents, operatorDocument: false);

    [Function(nameof(GetOperatorOpenApiDocument))]
    [Tags("operations"), EndpointSummary("The OpenAPI description of the operator routes"), ExcludeFromDescription]
    [ProducesResponseType<string>(StatusCodes.Status200OK, "application/json")]
    public IResult GetOperatorOpenApiDocument([HttpTrigger(AuthorizationLevel.Admin, "get", Route = "ops/openapi/v1.json")] HttpRequest request) =>
        OpenApiEndpoints.Write(documents, operatorDocument: true);

    [Function(nameof(GetFunctions))]
    [Tags("operations"), EndpointSummary("List the functions with schedules and queues resolved from app settings")]
    [ProducesResponseType<IReadOnlyList<FunctionView>>(StatusCodes.Status200OK, "application/json")]
    public IResult GetFunctions([HttpTrigger(AuthorizationLevel.Admin, "get", Route = "ops/functions")] HttpRequest request) =>
        OperationsEndpoints.GetFunctions(index, configuration);
}
