using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Options;
using Rtgf.Core.Signing;
using Rtgf.Functions.Functions;
using Rtgf.Functions.Log;
using Rtgf.Functions.Verification;
using Rtgf.Pipeline.Configuration;
using Rtgf.Pipeline.Registry;
using HttpJsonOptions = Microsoft.AspNetCore.Http.Json.JsonOptions;

namespace Rtgf.Functions.Endpoints;

/// <summary>The registry's <c>/.well-known/</c> documents (<see cref="RegistryEndpoints"/>).</summary>
public sealed class RegistryFunctions(
    FunctionIndex index,
    IOptions<IssuerOptions> issuer,
    IOptions<HttpJsonOptions> json,
    ITokenRegistry registry,
    StatusLists statusLists,
    TransparencyLog log,
    KeySetVerifiers keySets)
{
    [Function(nameof(GetDiscovery))]
    [Tags("registry"), EndpointSummary("Discover the issuer, JWKS, API endpoints, log origin and key, revocation epoch and families")]
    [ProducesResponseType<RtgfDiscovery>(StatusCodes.Status200OK, "application/json")]
    public async Task<IResult> GetDiscovery(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", Route = ".well-known/rtgf")] HttpRequest request, CancellationToken cancellationToken) =>
        await RegistryEndpoints.GetDiscoveryAsync(request.HttpContext, index, issuer, json, registry, statusLists, log, cancellationToken).ConfigureAwait(false);

    [Function(nameof(GetJwks))]
    [Tags("registry"), EndpointSummary("The published JWKS: issuer keys (current, previous, retired) and certified publication keys")]
    [ProducesResponseType<JsonWebKeySet>(StatusCodes.Status200OK, "application/json")]
    public async Task<IResult> GetJwks(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", Route = ".well-known/jwks.json")] HttpRequest request, CancellationToken cancellationToken) =>
        await RegistryEndpoints.GetJwksAsync(request.HttpContext, keySets, cancellationToken).ConfigureAwait(false);
}
