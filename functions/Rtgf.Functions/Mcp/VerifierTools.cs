using System.ComponentModel;
using System.Globalization;
using ModelContextProtocol;
using ModelContextProtocol.Server;
using Rtgf.Functions.Verification;

namespace Rtgf.Functions.Mcp;

/// <summary>The verifier's tools: the verdict <c>POST /verify</c> gives, from the same <see cref="TokenVerification"/>.</summary>
[McpServerToolType]
internal sealed class VerifierTools(TokenVerification verification)
{
    public const string VerifyTokenName = "verify_token";

    [McpServerTool(Name = VerifyTokenName, Title = "Verify a token", ReadOnly = true, Destructive = false, Idempotent = true, OpenWorld = false, UseStructuredContent = true)]
    [Description(
        "Verify one RTGF reference token (a compact JWS): its ES256 signature against the published keys, its validity window, " +
        "and its revocation status in the signed status list; with a checkpoint and log index, also its inclusion in the " +
        "transparency log. The token is valid only when 'reasons' is empty; each reason has a stable code and a message. " +
        "The same verdict as POST /verify.")]
    public async Task<VerifyVerdict> VerifyTokenAsync(
        [Description("The token: a compact JWS (header.payload.signature), as GET /tokens/{id} serves it.")] string token,
        [Description("The instant to check the validity window at, RFC 3339 (e.g. 2026-01-01T00:00:00Z); now when left out.")] string? at = null,
        [Description("A signed checkpoint note of the log (GET /log/checkpoint) to check the token's inclusion against; send with logIndex.")] string? checkpoint = null,
        [Description("The token's log index (from GET /tokens/{id}); send with checkpoint. The server computes the inclusion proof.")] long? logIndex = null,
        CancellationToken cancellationToken = default)
    {
        var arrived = verification.KeySetMark;
        DateTimeOffset? instant = null;
        if (at is not null)
        {
            if (!DateTimeOffset.TryParse(at, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
            {
                throw new McpException($"'at' must be an RFC 3339 instant such as 2026-01-01T00:00:00Z, not '{Truncate(at)}'.");
            }

            instant = parsed;
        }

        if ((checkpoint is null) != (logIndex is null))
        {
            throw new McpException("Send 'checkpoint' (a signed checkpoint note) and 'logIndex' together, or neither.");
        }

        if (logIndex < 0)
        {
            throw new McpException("'logIndex' must be a non-negative integer.");
        }

        try
        {
            var proof = logIndex is { } index ? new ProofRequest(index, null) : null;
            return await verification.VerifyAsync(token, instant, checkpoint, proof, arrived, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // As POST /verify's 503: answering from an older key set or status list could be wrong.
            throw new McpException("The verifier could not read the current key set or status list in time to give a verdict; retry shortly.");
        }
    }

    private static string Truncate(string text) => text.Length <= 80 ? text : text[..80] + "…";
}
