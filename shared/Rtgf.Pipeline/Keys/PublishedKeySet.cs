using Rtgf.Core.Signing;

namespace Rtgf.Pipeline.Keys;

/// <summary>The published JWKS: the issuer key (current) followed by every certified publication key, ordered by kid.</summary>
internal static class PublishedKeySet
{
    public static JsonWebKeySet Build(ISigner issuer, IEnumerable<string> certifiedJwks)
    {
        var certified = certifiedJwks
            .Select(json => JsonWebKey.Parse(System.Text.Encoding.UTF8.GetBytes(json)))
            .OrderBy(k => k.Kid, StringComparer.Ordinal);
        return new JsonWebKeySet([new JsonWebKey(issuer.PublicKey, status: "current"), .. certified]);
    }
}
