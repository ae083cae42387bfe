using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Rtgf.Functions.Verification;

namespace Rtgf.Functions.Endpoints;

/// <summary>The verifier (<see cref="VerifierEndpoints"/>): bodies are read by the handlers, capped and strict.</summary>
public sealed class VerifierFunctions(TokenVerification verification)
{
    [Function(nameof(VerifyToken))]
    [Tags("verifier"), EndpointSummary("Verify one token: signature and key, validity window, revocation status, optional inclusion proof")]
    [Consumes(typeof(VerifyRequest), "application/json")]
    [ProducesResponseType<VerifyVerdict>(StatusCodes.Status200OK, "application/json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status413PayloadTooLarge, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status415UnsupportedMediaType, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status503ServiceUnavailable, "application/problem+json")]
    public async Task<IResult> VerifyToken(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "verify")] HttpRequest request, CancellationToken cancellationToken) =>
        await VerifierEndpoints.VerifyAsync(request, verification, cancellationToken).ConfigureAwait(false);

    [Function(nameof(VerifyTokens))]
    [Tags("verifier"), EndpointSummary("Verify up to 100 tokens (signature, validity window, revocation status)")]
    [Consumes(typeof(VerifyBatchRequest), "application/json")]
    [ProducesResponseType<VerifyBatchResult>(StatusCodes.Status200OK, "application/json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status413PayloadTooLarge, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status415UnsupportedMediaType, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status503ServiceUnavailable, "application/problem+json")]
    public async Task<IResult> VerifyTokens(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "verify/batch")] HttpRequest request, CancellationToken cancellationToken) =>
        await VerifierEndpoints.VerifyBatchAsync(request, verification, cancellationToken).ConfigureAwait(false);
}
