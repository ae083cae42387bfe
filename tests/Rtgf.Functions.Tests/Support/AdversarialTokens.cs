using System.Security.Cryptography;
using System.Text;
using Rtgf.Core.Encoding;
using Rtgf.Core.Signing;
using Rtgf.Core.Tokens;

namespace Rtgf.Functions.Tests.Support;

/// <summary>Tokens a holder of a certified signing key could sign that the token writer would refuse: raw payloads, signed correctly.</summary>
public static class AdversarialTokens
{
    /// <summary>A status list uri whose list-name path segment is 600 characters: longer than a table key.</summary>
    public static readonly string LongSegmentListUri = ApiFixture.BaseUrl + "/revocations/status-lists/" + new string('a', 600) + "/0";

    /// <summary>The fixture's payload with one date claim replaced by <paramref name="value"/> (JSON number text).</summary>
    public static Task<string> WithDateAsync(ISigner signer, string claim, string value)
    {
        var iat = ApiFixture.IssuedAt.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        var exp = ApiFixture.IssuedAt.AddDays(30).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        var times = new Dictionary<string, string>(StringComparer.Ordinal) { ["exp"] = exp, ["iat"] = iat, ["nbf"] = iat };
        times[claim] = value;
        return SignAsync(
            signer,
            "{\"exp\":" + times["exp"] + ",\"fam\":\"" + ApiFixture.Family + "\",\"iat\":" + times["iat"] + ",\"iss\":\"" + ApiFixture.BaseUrl + "\",\"nbf\":" + times["nbf"] +
            ",\"status\":{\"status_list\":{\"idx\":0,\"uri\":\"" + ApiFixture.ListUri + "\"}},\"sub\":\"rto:40000\"}");
    }

    /// <summary>A valid token in every respect but its status list uri.</summary>
    public static async Task<string> WithListUriAsync(ISigner signer, string subject, string listUri, long revocationEpoch = 0)
    {
        var claims = ApiFixture.Claims(subject, 0, ApiFixture.IssuedAt.AddDays(30), revocationEpoch);
        return await new ReferenceTokenWriter(signer).WriteAsync(new ReferenceTokenClaims
        {
            Issuer = claims.Issuer,
            Subject = claims.Subject,
            Family = claims.Family,
            IssuedAt = claims.IssuedAt,
            NotBefore = claims.NotBefore,
            Expires = claims.Expires,
            SnapshotDigest = claims.SnapshotDigest,
            RevocationEpoch = claims.RevocationEpoch,
            Status = new StatusListReference(0, listUri),
            FactsJson = claims.FactsJson,
        });
    }

    public static async Task<string> SignAsync(ISigner signer, string payloadJson)
    {
        var header = $$"""{"alg":"ES256","kid":"{{signer.PublicKey.Thumbprint}}","typ":"{{ReferenceTokenWriter.TokenType}}"}""";
        var input = Base64UrlStrict.Encode(Encoding.UTF8.GetBytes(header)) + "." + Base64UrlStrict.Encode(Encoding.UTF8.GetBytes(payloadJson));
        var signature = await signer.SignDigestAsync(SHA256.HashData(Encoding.ASCII.GetBytes(input)));
        return input + "." + Base64UrlStrict.Encode(signature);
    }
}
