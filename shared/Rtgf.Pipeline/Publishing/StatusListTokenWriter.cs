using System.Buffers.Text;
using System.Security.Cryptography;
using Rtgf.Core.Encoding;
using Rtgf.Core.Signing;

namespace Rtgf.Pipeline.Publishing;

/// <summary>
/// Signs status list tokens (draft-ietf-oauth-status-list): header <c>{"alg":"ES256","kid":…,"typ":"statuslist+jwt"}</c>,
/// claims <c>exp, iat, rev_epoch, status_list{bits,lst}, sub, ttl</c>. Signed by the issuer key, not a publication key: a
/// list outlives the publication that last changed it, manual revocations republish lists with no publication key at hand,
/// and a publication key is certified only for token <c>iat</c>s (snapshot times), not for list issuance times.
/// </summary>
internal static class StatusListTokenWriter
{
    public const string Type = "statuslist+jwt";

    /// <summary>How long a relying party may cache a list before fetching it again (seconds).</summary>
    public const long TimeToLiveSeconds = 300;

    /// <summary>Lists are republished whenever they change; <c>exp</c> is a backstop against a stalled pipeline.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromDays(30);

    public static async Task<string> WriteAsync(ISigner issuer, string uri, string lst, int bits, long epoch, DateTimeOffset issuedAt, CancellationToken cancellationToken)
    {
        using var header = new CanonicalJsonWriter(128);
        header.WriteStartObject();
        header.WriteString("alg", "ES256");
        header.WriteString("kid", issuer.PublicKey.Thumbprint);
        header.WriteString("typ", Type);
        header.WriteEndObject();

        using var payload = new CanonicalJsonWriter(256 + lst.Length);
        payload.WriteStartObject();
        payload.WriteNumber("exp", (issuedAt + Lifetime).ToUnixTimeSeconds());
        payload.WriteNumber("iat", issuedAt.ToUnixTimeSeconds());
        payload.WriteNumber("rev_epoch", epoch);
        payload.WritePropertyName("status_list");
        payload.WriteStartObject();
        payload.WriteNumber("bits", bits);
        payload.WriteString("lst", lst);
        payload.WriteEndObject();
        payload.WriteString("sub", uri);
        payload.WriteNumber("ttl", TimeToLiveSeconds);
        payload.WriteEndObject();

        var signingInput = Base64Url.EncodeToString(header.WrittenSpan) + "." + Base64Url.EncodeToString(payload.WrittenSpan);
        var digest = SHA256.HashData(System.Text.Encoding.ASCII.GetBytes(signingInput));
        var signature = await issuer.SignDigestAsync(digest, cancellationToken).ConfigureAwait(false);
        return signingInput + "." + Base64Url.EncodeToString(signature);
    }
}
