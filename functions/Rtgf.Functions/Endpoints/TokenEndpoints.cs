using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Rtgf.Functions.Http;
using Rtgf.Functions.Log;
using Rtgf.Pipeline.Registry;
using Rtgf.Pipeline.Storage;
using HttpJsonOptions = Microsoft.AspNetCore.Http.Json.JsonOptions;

namespace Rtgf.Functions.Endpoints;

/// <summary>A token's status-list slot.</summary>
internal sealed record TokenStatusView(string Uri, long Index);

/// <summary>A registered token without its proof (lists).</summary>
internal sealed record TokenSummary(
    string TokenId, string Family, string Subject, long LogIndex, string BuildId, DateTimeOffset IssuedAt, DateTimeOffset Expires,
    string FactsDigest, TokenStatusView Status, long RevEpoch, string Href);

/// <summary>An inclusion proof of the token's log entry to <see cref="Checkpoint"/> (the signed note it is for).</summary>
internal sealed record InclusionProofView(long LogIndex, long TreeSize, string RootHash, IReadOnlyList<string> Hashes, string Checkpoint);

/// <summary><c>GET /tokens/{id}</c>: the token, its JWS, and (once a checkpoint covers it) its inclusion proof with that checkpoint.</summary>
internal sealed record TokenDocument(
    string TokenId, string Family, string Subject, string Jws, long LogIndex, string BuildId, DateTimeOffset IssuedAt, DateTimeOffset Expires,
    string FactsDigest, TokenStatusView Status, long RevEpoch, InclusionProofView? InclusionProof);

/// <summary><c>GET /tokens?subject=</c>: the latest token of each family for a subject.</summary>
internal sealed record SubjectTokens(string Subject, string? Family, IReadOnlyList<TokenSummary> Tokens);

/// <summary>
/// Tokens by id and by subject. A token document is immutable: the JWS never changes, and its inclusion proof is for the
/// checkpoint returned with it, which stays provable forever (newer checkpoints are consistent with it).
/// </summary>
internal static class TokenEndpoints
{
    public const int MaxSubjectLength = 256;

    internal static async Task<Results<Ok<SubjectTokens>, ProblemHttpResult>> GetBySubjectAsync(
        string? subject, string? family, [FromServices] ITokenRegistry registry, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(subject) || subject.Length > MaxSubjectLength || subject.Any(char.IsControl))
        {
            return ApiProblem.InvalidRequest($"Give ?subject= (1 to {MaxSubjectLength} printable characters), e.g. /tokens?subject=rto:12345.");
        }

        if (!RegistrySubjects.FitsKey(subject))
        {
            return ApiProblem.InvalidRequest(
                $"The subject '{Truncate(subject)}' is too long for a registry key: at most {TableKeys.MaxChars - 1 - RegistrySubjects.MaxFamilyChars} characters once % / \\ # ? and control characters count 3 each.");
        }

        if (family is not null && !QueryValues.IsFamilyName(family))
        {
            return ApiProblem.InvalidRequest($"'{Truncate(family)}' is not a family name (lowercase letters, digits and hyphens).");
        }

        var tokens = await registry.GetLatestAsync(subject, family, cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(new SubjectTokens(subject, family, [.. tokens.Select(Summary)]));
    }

    internal static async Task<Results<FileContentHttpResult, ProblemHttpResult>> GetTokenAsync(
        string id, HttpContext http, IOptions<HttpJsonOptions> json, [FromServices] ITokenRegistry registry, [FromServices] TransparencyLog log, CancellationToken cancellationToken)
    {
        if (!QueryValues.IsTokenId(id))
        {
            return ApiProblem.InvalidRequest($"'{Truncate(id)}' is not a token id (64 lowercase hex digits: the SHA-256 of the payload).");
        }

        var token = await registry.GetAsync(id, cancellationToken).ConfigureAwait(false);
        if (token is null)
        {
            return ApiProblem.NotFound($"No token has id '{id}'.");
        }

        InclusionProofView? proof = null;
        if (await log.ReadCheckpointAsync(cancellationToken).ConfigureAwait(false) is { } current && token.LogIndex < current.Checkpoint.Size)
        {
            var hashes = await log.Reader.GetInclusionProofAsync(token.LogIndex, current.Checkpoint.Size, cancellationToken).ConfigureAwait(false);
            proof = new InclusionProofView(token.LogIndex, current.Checkpoint.Size, current.Checkpoint.RootHashBase64, [.. hashes.Select(Convert.ToBase64String)], current.Note);
        }

        var document = new TokenDocument(token.TokenId, token.Family, token.Subject, token.Jws, token.LogIndex, token.BuildId, token.IssuedAt, token.Expires,
            token.FactsDigest, new TokenStatusView(token.StatusListUri, token.StatusIndex), token.RevocationEpoch, proof);
        var bytes = JsonSerializer.SerializeToUtf8Bytes(document, json.Value.SerializerOptions);
        if (proof is null)
        {
            // Not yet in a checkpoint: the answer will change when one covers it.
            http.Response.Headers.CacheControl = "no-cache";
            return TypedResults.Bytes(bytes, "application/json");
        }

        return HttpCaching.ImmutableBytes(http, bytes, "application/json");
    }

    internal static TokenSummary Summary(RegisteredToken token) =>
        new(token.TokenId, token.Family, token.Subject, token.LogIndex, token.BuildId, token.IssuedAt, token.Expires, token.FactsDigest,
            new TokenStatusView(token.StatusListUri, token.StatusIndex), token.RevocationEpoch, "/tokens/" + token.TokenId);

    internal static string Truncate(string text) => text.Length <= 80 ? text : text[..80] + "…";
}
