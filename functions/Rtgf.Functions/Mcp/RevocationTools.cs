using System.ComponentModel;
using ModelContextProtocol;
using ModelContextProtocol.Server;
using Rtgf.Functions.Http;
using Rtgf.Functions.Verification;
using Rtgf.Pipeline.Registry;
using Rtgf.Pipeline.Revocation;

namespace Rtgf.Functions.Mcp;

/// <summary>
/// The revocation status of a registered token: <see cref="Revoked"/> with the revocation (why, when, its log entry, the
/// replacement) when it is revoked. <see cref="Epoch"/> is the last complete revocation epoch, read before the token's
/// record: the answer is at least as new as that epoch, and the revocation feed (<c>GET /revocations?since=</c>) from it
/// tells of any later change. The signed status list at <see cref="StatusListHref"/> carries the token's bit at
/// <c>status.index</c>, so a client can check the answer without trusting this one.
/// </summary>
internal sealed record RevocationStatus(
    string TokenId, string Family, string Subject, bool Revoked, long Epoch, TokenStatusReference Status, string? StatusListHref,
    VerifiedRevocation? Revocation, string Href);

/// <summary>A token's status-list slot: the list's URI (as the token's <c>status</c> claim names it) and the index.</summary>
internal sealed record TokenStatusReference(string Uri, long Index);

/// <summary>The revocation tools: by token id, through the token registry and the revocation records.</summary>
[McpServerToolType]
internal sealed class RevocationTools(ITokenRegistry registry, IRevocationReader revocations)
{
    public const string RevocationStatusName = "revocation_status";

    [McpServerTool(Name = RevocationStatusName, Title = "Revocation status of a token", ReadOnly = true, Destructive = false, Idempotent = true, OpenWorld = false, UseStructuredContent = true)]
    [Description(
        "Whether a registered RTGF token is revoked, by token id: the revocation's kind, reason, epoch, time, log index and " +
        "replacement token when it is; the token's status-list slot and the signed status list's link either way, so the " +
        "answer can be checked against the list.")]
    public async Task<RevocationStatus> RevocationStatusAsync(
        [Description("The token id: 64 lowercase hex digits, the SHA-256 of the token's payload (GET /tokens/{id}).")] string tokenId,
        CancellationToken cancellationToken = default)
    {
        if (!QueryValues.IsTokenId(tokenId))
        {
            throw new McpException($"'{Truncate(tokenId)}' is not a token id (64 lowercase hex digits: the SHA-256 of the payload).");
        }

        var epoch = await revocations.GetCompleteEpochAsync(cancellationToken).ConfigureAwait(false);
        var token = await registry.GetAsync(tokenId, cancellationToken).ConfigureAwait(false)
            ?? throw new McpException($"No token has id '{tokenId}'.");
        var record = await revocations.GetRevocationAsync(tokenId, cancellationToken).ConfigureAwait(false);
        var revocation = record is null
            ? null
            : new VerifiedRevocation(record.Kind, record.Reason, record.Epoch, record.RevokedAt, record.ReplacedBy, record.LogIndex);
        var listHref = StatusListId.TryParseUri(token.StatusListUri, out var listId) ? StatusListId.PathPrefix + listId : null;
        return new RevocationStatus(
            token.TokenId, token.Family, token.Subject, record is not null, Math.Max(epoch, record?.Epoch ?? 0),
            new TokenStatusReference(token.StatusListUri, token.StatusIndex), listHref, revocation, "/tokens/" + token.TokenId);
    }

    private static string Truncate(string text) => text.Length <= 80 ? text : text[..80] + "…";
}
