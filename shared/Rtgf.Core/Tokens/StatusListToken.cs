using System.Text.Json;
using Rtgf.Core.Encoding;
using Rtgf.Core.Signing;

namespace Rtgf.Core.Tokens;

/// <summary>
/// A status list token (draft-ietf-oauth-status-list, <c>typ: statuslist+jwt</c>) as a relying party checks one it
/// fetched: ES256, signed by an issuer key of the JWK Set (a key without a certificate: lists are signed by the issuer
/// key, not a publication key), <c>sub</c> equal to the URI it was fetched from, not expired, and a readable
/// <c>status_list</c>. Any failure is a <see cref="FormatException"/> saying why.
/// </summary>
public static class StatusListToken
{
    public const string Type = "statuslist+jwt";

    public static StatusList Verify(string jwt, string expectedUri, JsonWebKeySet keys, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(jwt);
        ArgumentNullException.ThrowIfNull(keys);
        var parts = jwt.Trim().Split('.');
        if (parts.Length != 3)
        {
            throw new FormatException("the status list token is not a compact JWS");
        }

        try
        {
            using var header = JsonDocument.Parse(Base64UrlStrict.Decode(parts[0], "The status list token header"));
            if (Text(header.RootElement, "alg") != "ES256" || Text(header.RootElement, "typ") != Type || header.RootElement.TryGetProperty("crit", out _))
            {
                throw new FormatException($"the status list token header is not ES256 with typ '{Type}' and no 'crit'");
            }

            var kid = Text(header.RootElement, "kid");
            if (kid is null || !keys.TryGetKey(kid, out var key) || key.Certificate is not null)
            {
                throw new FormatException("the status list token is not signed by an issuer key of the JWK Set");
            }

            using (var ecdsa = key.Key.CreateEcdsa())
            {
                var signature = Base64UrlStrict.Decode(parts[2], "The status list token signature");
                if (!Es256.Verify(ecdsa, jwt.Trim().AsSpan(0, parts[0].Length + 1 + parts[1].Length), signature))
                {
                    throw new FormatException("the status list token's signature does not verify");
                }
            }

            using var payload = JsonDocument.Parse(Base64UrlStrict.Decode(parts[1], "The status list token payload"));
            var claims = payload.RootElement;
            if (!string.Equals(Text(claims, "sub"), expectedUri, StringComparison.Ordinal))
            {
                throw new FormatException("the status list token's 'sub' is not the URI it was fetched from");
            }

            if (!claims.TryGetProperty("exp", out var exp) || !exp.TryGetInt64(out var expSeconds) || expSeconds <= now.ToUnixTimeSeconds())
            {
                throw new FormatException("the status list token has expired (or has no 'exp')");
            }

            var list = claims.GetProperty("status_list");
            return StatusList.Decode(list.GetProperty("lst").GetString() ?? throw new FormatException("'lst' is null"), list.GetProperty("bits").GetInt32());
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw new FormatException("the status list token cannot be read: " + ex.Message, ex);
        }
    }

    private static string? Text(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
