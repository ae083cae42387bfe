using System.Globalization;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Net.Http.Headers;

namespace Rtgf.Functions.Http;

/// <summary>
/// Cache headers. Objects a checkpoint covers (tiles, entry bundles, tokens with the checkpoint their proof is for) never
/// change, so they are cacheable forever; the checkpoint, JWKS, discovery and status lists change, so they get a short
/// max-age and a strong ETag, and a conditional GET with a matching <c>If-None-Match</c> answers 304.
/// </summary>
internal static class HttpCaching
{
    public const string Immutable = "public, max-age=31536000, immutable";

    /// <summary>Seconds a mutable document (checkpoint, JWKS, discovery, status list) may be cached.</summary>
    public const int ShortMaxAge = 60;

    public static string StrongETag(ReadOnlySpan<byte> content) => "\"" + Convert.ToHexStringLower(SHA256.HashData(content)) + "\"";

    /// <summary>An immutable object: cacheable forever (file results answer conditional requests themselves).</summary>
    public static FileContentHttpResult ImmutableBytes(HttpContext http, byte[] content, string contentType)
    {
        http.Response.Headers.CacheControl = Immutable;
        return TypedResults.Bytes(content, contentType, entityTag: new EntityTagHeaderValue(StrongETag(content)));
    }

    /// <summary>A mutable document with a strong ETag and a short max-age; a matching If-None-Match answers 304.</summary>
    public static FileContentHttpResult ShortLivedBytes(HttpContext http, byte[] content, string contentType, string? etag = null)
    {
        http.Response.Headers.CacheControl = string.Create(CultureInfo.InvariantCulture, $"public, max-age={ShortMaxAge}");
        return TypedResults.Bytes(content, contentType, entityTag: new EntityTagHeaderValue(Quote(etag ?? StrongETag(content))));
    }

    /// <summary>
    /// <see cref="ShortLivedBytes"/> for an answer that may depend on who asks (an API key's plan and headers): private
    /// when the request carries <c>Authorization</c> (a shared cache must not serve a keyed answer to others, RFC 9111
    /// §3.5), public otherwise, and always <c>Vary: Authorization</c> so a shared cache never answers a keyed request
    /// with an anonymous copy.
    /// </summary>
    public static FileContentHttpResult ShortLivedBytesPerCaller(HttpContext http, byte[] content, string contentType)
    {
        var result = ShortLivedBytes(http, content, contentType);
        if (http.Request.Headers.ContainsKey(HeaderNames.Authorization))
        {
            http.Response.Headers.CacheControl = string.Create(CultureInfo.InvariantCulture, $"private, max-age={ShortMaxAge}");
        }

        http.Response.Headers.Append(HeaderNames.Vary, HeaderNames.Authorization);
        return result;
    }

    private static string Quote(string etag) =>
        etag.StartsWith('"') && etag.EndsWith('"') && etag.Length >= 2 ? etag : "\"" + etag.Replace("\"", string.Empty, StringComparison.Ordinal) + "\"";
}
