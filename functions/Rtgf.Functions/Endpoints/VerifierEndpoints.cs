using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Rtgf.Functions.Http;
using Rtgf.Functions.Verification;

namespace Rtgf.Functions.Endpoints;

/// <summary>
/// The verifier: <c>POST /verify</c> (one token, optionally with a checkpoint and inclusion proof) and <c>POST /verify/batch</c>.
/// A verdict lists every reason a token is not valid, never just true/false. Bodies are capped and read strictly: every bad
/// body is a 4xx Problem.
/// </summary>
internal static class VerifierEndpoints
{
    public const int MaxBodyBytes = 64 * 1024;
    public const int MaxBatchBodyBytes = 1024 * 1024;
    public const int MaxBatchTokens = 100;
    public const int MaxProofHashes = 64;

    /// <summary>Seconds a 503 (the key set or a status list could not be read) asks the client to wait.</summary>
    public const int RetryAfterSeconds = 5;

    internal static async Task<Results<Ok<VerifyVerdict>, ProblemHttpResult>> VerifyAsync(
        HttpRequest request, [FromServices] TokenVerification verification, CancellationToken cancellationToken)
    {
        var arrived = verification.KeySetMark;
        var (document, problem) = await JsonBody.ReadObjectAsync(request, MaxBodyBytes, cancellationToken).ConfigureAwait(false);
        if (problem is not null)
        {
            return problem;
        }

        using (document)
        {
            var body = document!.RootElement;
            if (!body.TryGetProperty("token", out var tokenMember) || tokenMember.ValueKind != JsonValueKind.String)
            {
                return ApiProblem.InvalidJson("The body needs a string member 'token' (a compact JWS).");
            }

            if (!TryReadAt(body, out var at, out var error) ||
                !JsonBody.TryGetOptionalString(body, "checkpoint", out var checkpoint, out error) ||
                !TryReadProof(body, out var proof, out error))
            {
                return ApiProblem.InvalidJson(error);
            }

            if ((checkpoint is null) != (proof is null))
            {
                return ApiProblem.InvalidJson("Send 'checkpoint' (a signed checkpoint note) and 'proof' ({logIndex, hashes?}) together, or neither.");
            }

            try
            {
                return TypedResults.Ok(await verification.VerifyAsync(tokenMember.GetString()!, at, checkpoint, proof, arrived, cancellationToken).ConfigureAwait(false));
            }
            catch (Exception e) when (e is TimeoutException or KeySetUnavailableException)
            {
                return NotFreshInTime(request);
            }
        }
    }

    internal static async Task<Results<Ok<VerifyBatchResult>, ProblemHttpResult>> VerifyBatchAsync(
        HttpRequest request, [FromServices] TokenVerification verification, CancellationToken cancellationToken)
    {
        // One mark for the whole batch: once a key-set read after it is done, later unknown kids in the batch wait no more.
        var arrived = verification.KeySetMark;
        var (document, problem) = await JsonBody.ReadObjectAsync(request, MaxBatchBodyBytes, cancellationToken).ConfigureAwait(false);
        if (problem is not null)
        {
            return problem;
        }

        using (document)
        {
            var body = document!.RootElement;
            if (!body.TryGetProperty("tokens", out var tokens) || tokens.ValueKind != JsonValueKind.Array)
            {
                return ApiProblem.InvalidJson("The body needs an array member 'tokens' of compact JWS strings.");
            }

            var count = tokens.GetArrayLength();
            if (count > MaxBatchTokens)
            {
                return ApiProblem.BatchTooLarge($"The batch holds {count} tokens; send at most {MaxBatchTokens} per request.");
            }

            if (count == 0 || tokens.EnumerateArray().Any(t => t.ValueKind != JsonValueKind.String))
            {
                return ApiProblem.InvalidJson("'tokens' must hold 1 or more strings.");
            }

            if (!TryReadAt(body, out var at, out var error))
            {
                return ApiProblem.InvalidJson(error);
            }

            var results = new List<VerifyVerdict>(count);
            try
            {
                foreach (var token in tokens.EnumerateArray())
                {
                    results.Add(await verification.VerifyAsync(token.GetString()!, at, null, null, arrived, cancellationToken).ConfigureAwait(false));
                }
            }
            catch (Exception e) when (e is TimeoutException or KeySetUnavailableException)
            {
                return NotFreshInTime(request);
            }

            return TypedResults.Ok(new VerifyBatchResult(count, results.Count(r => r.Valid), results));
        }
    }

    /// <summary>The key set or a status list could not be read fresh in time: answering from the older copy could be wrong.</summary>
    private static ProblemHttpResult NotFreshInTime(HttpRequest request)
    {
        request.HttpContext.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
        return ApiProblem.NotReady("The verifier could not read the current key set or status list in time to give a verdict; retry shortly.");
    }

    private static bool TryReadAt(JsonElement body, out DateTimeOffset? at, out string error)
    {
        at = null;
        if (!JsonBody.TryGetOptionalString(body, "at", out var text, out error))
        {
            return false;
        }

        if (text is null)
        {
            return true;
        }

        if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
        {
            error = $"'at' must be an RFC 3339 instant such as 2026-01-01T00:00:00Z, not '{TokenEndpoints.Truncate(text)}'.";
            return false;
        }

        at = parsed;
        return true;
    }

    private static bool TryReadProof(JsonElement body, out ProofRequest? proof, out string error)
    {
        proof = null;
        error = string.Empty;
        if (!body.TryGetProperty("proof", out var member) || member.ValueKind == JsonValueKind.Null)
        {
            return true;
        }

        if (member.ValueKind != JsonValueKind.Object ||
            !member.TryGetProperty("logIndex", out var index) || index.ValueKind != JsonValueKind.Number || !index.TryGetInt64(out var logIndex) || logIndex < 0)
        {
            error = "'proof' must be an object with a non-negative integer 'logIndex' and optional 'hashes' (base64 SHA-256 hashes).";
            return false;
        }

        List<byte[]>? hashes = null;
        if (member.TryGetProperty("hashes", out var list) && list.ValueKind != JsonValueKind.Null)
        {
            if (list.ValueKind != JsonValueKind.Array || list.GetArrayLength() > MaxProofHashes)
            {
                error = $"'proof.hashes' must be an array of at most {MaxProofHashes} base64 hashes.";
                return false;
            }

            hashes = [];
            foreach (var item in list.EnumerateArray())
            {
                var bytes = new byte[32];
                if (item.ValueKind != JsonValueKind.String || !Convert.TryFromBase64String(item.GetString()!, bytes, out var written) || written != 32)
                {
                    error = "Each of 'proof.hashes' must be a 32-byte hash in standard base64.";
                    return false;
                }

                hashes.Add(bytes);
            }
        }

        proof = new ProofRequest(logIndex, hashes);
        return true;
    }
}
