using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Options;
using Rtgf.Functions.Http;
using Rtgf.Functions.Log;
using Rtgf.Pipeline.Registry;
using HttpJsonOptions = Microsoft.AspNetCore.Http.Json.JsonOptions;

namespace Rtgf.Functions.Endpoints;

/// <summary>Tokens by id and by subject (<see cref="TokenEndpoints"/>).</summary>
public sealed class TokenFunctions(IOptions<HttpJsonOptions> json, ITokenRegistry registry, TransparencyLog log)
{
    [Function(nameof(GetTokensBySubject))]
    [Tags("tokens"), EndpointSummary("The latest token of each family (or one family) for a subject")]
    [QueryParameter("subject", "string", "The subject (1 to 256 printable characters), e.g. rto:12345", Required = true)]
    [QueryParameter("family", "string", "Only this family's token (lowercase letters, digits and hyphens)")]
    [ProducesResponseType<SubjectTokens>(StatusCodes.Status200OK, "application/json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    public async Task<IResult> GetTokensBySubject(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", Route = "tokens")] HttpRequest request, CancellationToken cancellationToken) =>
        await TokenEndpoints.GetBySubjectAsync(QueryValues.Get(request, "subject"), QueryValues.Get(request, "family"), registry, cancellationToken).ConfigureAwait(false);

    [Function(nameof(GetToken))]
    [Tags("tokens"), EndpointSummary("A token: its JWS, log index and an inclusion proof to the current checkpoint")]
    [ProducesResponseType<TokenDocument>(StatusCodes.Status200OK, "application/json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    public async Task<IResult> GetToken(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", Route = "tokens/{id}")] HttpRequest request, CancellationToken cancellationToken) =>
        await TokenEndpoints.GetTokenAsync(QueryValues.Route(request, "id") ?? string.Empty, request.HttpContext, json, registry, log, cancellationToken).ConfigureAwait(false);
}
