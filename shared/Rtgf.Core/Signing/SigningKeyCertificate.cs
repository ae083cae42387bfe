using System.Buffers;
using System.Security.Cryptography;
using System.Text.Json;
using Rtgf.Core.Encoding;
using Rtgf.Core.Tokens;

namespace Rtgf.Core.Signing;

/// <summary>
/// A key certificate (docs/adr/0006-high-volume-signing.md): a compact JWS by an issuer key, header
/// <c>{"alg":"ES256","kid":&lt;issuer thumbprint&gt;,"typ":"rtgf-key-cert+jwt"}</c>, payload
/// <c>{exp, iss, jwk:{crv,kty,x,y}, nbf, sub:&lt;signing key thumbprint&gt;, use:"rtgf-token"}</c>. It vouches that the
/// signing key may sign tokens whose <c>iat</c> lies in [nbf, exp).
/// </summary>
public sealed class SigningKeyCertificate
{
    public const string Type = "rtgf-key-cert+jwt";
    public const string TokenUse = "rtgf-token";

    private SigningKeyCertificate(string compact, string issuerKid, string issuer, EcPublicKey signingKey, DateTimeOffset notBefore, DateTimeOffset expires)
    {
        Compact = compact;
        IssuerKid = issuerKid;
        Issuer = issuer;
        SigningKey = signingKey;
        NotBefore = notBefore;
        Expires = expires;
    }

    /// <summary>The certificate as a compact JWS, as published in the JWKS member <c>rtgf_cert</c>.</summary>
    public string Compact { get; }

    /// <summary>The thumbprint of the issuer key that signed the certificate (its header <c>kid</c>).</summary>
    public string IssuerKid { get; }

    /// <summary><c>iss</c>: the issuer URL.</summary>
    public string Issuer { get; }

    /// <summary>The certified signing key (<c>jwk</c>; <c>sub</c> is its thumbprint).</summary>
    public EcPublicKey SigningKey { get; }

    public DateTimeOffset NotBefore { get; }

    public DateTimeOffset Expires { get; }

    /// <summary>Whether a token issued at <paramref name="issuedAt"/> falls in the certificate's window [nbf, exp).</summary>
    public bool Covers(DateTimeOffset issuedAt) => NotBefore <= issuedAt && issuedAt < Expires;

    /// <summary>Asks <paramref name="issuer"/> (Key Vault in production) for the one signature that certifies <paramref name="signingKey"/>.</summary>
    public static async ValueTask<SigningKeyCertificate> IssueAsync(
        ISigner issuer, string issuerUrl, EcPublicKey signingKey, DateTimeOffset notBefore, DateTimeOffset expires, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(issuer);
        ArgumentNullException.ThrowIfNull(signingKey);
        if (expires <= notBefore)
        {
            throw new ArgumentException("A key certificate must expire after it becomes valid.", nameof(expires));
        }

        using var writer = new CanonicalJsonWriter(512);
        writer.WriteStartObject();
        writer.WriteNumber("exp", expires.ToUnixTimeSeconds());
        writer.WriteString("iss", issuerUrl);
        writer.WritePropertyName("jwk");
        writer.WriteStartObject();
        writer.WriteString("crv", "P-256");
        writer.WriteString("kty", "EC");
        writer.WriteString("x", signingKey.XBase64Url);
        writer.WriteString("y", signingKey.YBase64Url);
        writer.WriteEndObject();
        writer.WriteNumber("nbf", notBefore.ToUnixTimeSeconds());
        writer.WriteString("sub", signingKey.Thumbprint);
        writer.WriteString("use", TokenUse);
        writer.WriteEndObject();

        var header = System.Text.Encoding.ASCII.GetBytes(JwsCompact.EncodeHeader(issuer.PublicKey.Thumbprint, Type));
        var buffer = new ArrayBufferWriter<byte>(1024);
        var digest = new byte[32];
        JwsCompact.BuildSigningInput(header, writer.WrittenSpan, buffer, digest);
        var signature = await issuer.SignDigestAsync(digest, cancellationToken).ConfigureAwait(false);
        return Parse(JwsCompact.Complete(buffer, signature));
    }

    /// <summary>Reads a certificate's structure (no signature check: see <see cref="VerifySignature(EcPublicKey)"/>). Throws <see cref="FormatException"/>.</summary>
    public static SigningKeyCertificate Parse(string compact)
    {
        ArgumentNullException.ThrowIfNull(compact);
        var parts = compact.Split('.');
        if (parts.Length != 3)
        {
            throw new FormatException("A key certificate is a compact JWS: three base64url parts separated by dots.");
        }

        using var header = ParseJson(Base64UrlStrict.Decode(parts[0], "The key certificate header"), "header");
        using var payload = ParseJson(Base64UrlStrict.Decode(parts[1], "The key certificate payload"), "payload");
        var h = header.RootElement;
        if (!string.Equals(String(h, "alg"), "ES256", StringComparison.Ordinal) || h.TryGetProperty("crit", out _))
        {
            throw new FormatException("A key certificate must use alg ES256 and no crit header.");
        }

        if (!string.Equals(String(h, "typ"), Type, StringComparison.Ordinal))
        {
            throw new FormatException($"A key certificate must have typ '{Type}'.");
        }

        var p = payload.RootElement;
        if (!string.Equals(String(p, "use"), TokenUse, StringComparison.Ordinal))
        {
            throw new FormatException($"A key certificate must have use '{TokenUse}'.");
        }

        var jwk = p.TryGetProperty("jwk", out var jwkElement) && jwkElement.ValueKind == JsonValueKind.Object
            ? JsonWebKey.Parse(jwkElement)
            : throw new FormatException("A key certificate must carry the signing key as 'jwk'.");
        if (!string.Equals(String(p, "sub"), jwk.Key.Thumbprint, StringComparison.Ordinal))
        {
            throw new FormatException("A key certificate's 'sub' must be the RFC 7638 thumbprint of its 'jwk'.");
        }

        if (Base64UrlStrict.Decode(parts[2], "The key certificate signature").Length != Es256.SignatureLength)
        {
            throw new FormatException("A key certificate's ES256 signature must be 64 bytes.");
        }

        return new SigningKeyCertificate(
            compact, String(h, "kid"), String(p, "iss"), jwk.Key, Seconds(p, "nbf"), Seconds(p, "exp"));
    }

    /// <summary>Checks the certificate's ES256 signature against <paramref name="issuerKey"/>.</summary>
    public bool VerifySignature(EcPublicKey issuerKey)
    {
        ArgumentNullException.ThrowIfNull(issuerKey);
        using var ecdsa = issuerKey.CreateEcdsa();
        return VerifySignature(ecdsa);
    }

    internal bool VerifySignature(ECDsa issuerKey)
    {
        var lastDot = Compact.LastIndexOf('.');
        Span<byte> signature = stackalloc byte[Es256.SignatureLength];
        return Base64UrlStrict.TryDecode(Compact.AsSpan(lastDot + 1), signature, out var written) && written == Es256.SignatureLength &&
            Es256.Verify(issuerKey, Compact.AsSpan(0, lastDot), signature);
    }

    private static JsonDocument ParseJson(byte[] utf8, string part)
    {
        try
        {
            var document = JsonDocument.Parse(utf8, new JsonDocumentOptions { AllowDuplicateProperties = false });
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                document.Dispose();
                throw new FormatException($"The key certificate {part} must be a JSON object.");
            }

            return document;
        }
        catch (JsonException ex)
        {
            throw new FormatException($"The key certificate {part} is not valid JSON: {ex.Message}", ex);
        }
    }

    private static string String(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()!
            : throw new FormatException($"The key certificate has no string member '{name}'.");

    private static DateTimeOffset Seconds(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var seconds)
            ? DateTimeOffset.FromUnixTimeSeconds(seconds)
            : throw new FormatException($"The key certificate has no integer NumericDate '{name}'.");
}
