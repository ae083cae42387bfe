using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text.Json;
using Rtgf.Core.Encoding;

namespace Rtgf.Core.Signing;

/// <summary>
/// A public EC P-256 JWK (RFC 7517) as this system publishes it: <c>kid</c> is the RFC 7638 thumbprint, and the custom
/// members <c>rtgf_status</c>, <c>rtgf_retired_at</c> and <c>rtgf_cert</c> carry key-ring state and delegation.
/// Unknown members are ignored when parsing; a private key member (<c>d</c>) is an error.
/// </summary>
public sealed class JsonWebKey
{
    public const string StatusMember = "rtgf_status";
    public const string RetiredAtMember = "rtgf_retired_at";
    public const string CertificateMember = "rtgf_cert";

    public JsonWebKey(EcPublicKey key, string? kid = null, string? status = null, DateTimeOffset? retiredAt = null, string? certificate = null)
    {
        ArgumentNullException.ThrowIfNull(key);
        Key = key;
        Kid = kid ?? key.Thumbprint;
        Status = status;
        RetiredAt = retiredAt;
        Certificate = certificate;
    }

    public EcPublicKey Key { get; }

    /// <summary>The key id; for keys this system issues, the RFC 7638 thumbprint.</summary>
    public string Kid { get; }

    /// <summary><c>rtgf_status</c>: <c>current</c>, <c>previous</c>, <c>pending</c> or <c>retired</c> for issuer keys; null otherwise.</summary>
    public string? Status { get; }

    /// <summary><c>rtgf_retired_at</c>: a retired issuer key verifies only tokens issued (<c>iat</c>) before this instant.</summary>
    public DateTimeOffset? RetiredAt { get; }

    /// <summary><c>rtgf_cert</c>: for a certified signing key, the compact JWS key certificate signed by an issuer key.</summary>
    public string? Certificate { get; }

    public bool IsRetired => string.Equals(Status, "retired", StringComparison.Ordinal);

    public static JsonWebKey Parse(ReadOnlySpan<byte> utf8Json)
    {
        using var document = ParseDocument(utf8Json, "JWK");
        return Parse(document.RootElement);
    }

    public static JsonWebKey Parse(JsonElement element)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException("A JWK must be a JSON object.");
        }

        if (element.TryGetProperty("d", out _))
        {
            throw new FormatException("The JWK contains the private key member 'd'; only public keys may be published or loaded here.");
        }

        var kty = OptionalString(element, "kty") ?? throw new FormatException("The JWK has no 'kty' member.");
        if (!string.Equals(kty, "EC", StringComparison.Ordinal))
        {
            throw new FormatException($"The JWK has kty '{kty}'; only EC P-256 (ES256) keys are supported.");
        }

        var crv = OptionalString(element, "crv");
        if (!string.Equals(crv, "P-256", StringComparison.Ordinal))
        {
            throw new FormatException($"The JWK has crv '{crv}'; only P-256 is supported.");
        }

        var use = OptionalString(element, "use");
        if (use is not null && !string.Equals(use, "sig", StringComparison.Ordinal))
        {
            throw new FormatException($"The JWK has use '{use}'; only 'sig' keys verify tokens.");
        }

        var alg = OptionalString(element, "alg");
        if (alg is not null && !string.Equals(alg, "ES256", StringComparison.Ordinal))
        {
            throw new FormatException($"The JWK has alg '{alg}'; only ES256 is supported.");
        }

        var key = new EcPublicKey(Coordinate(element, "x"), Coordinate(element, "y"));
        EnsureOnCurve(key);
        DateTimeOffset? retiredAt = null;
        if (element.TryGetProperty(RetiredAtMember, out var retired))
        {
            retiredAt = retired.ValueKind == JsonValueKind.Number && retired.TryGetInt64(out var seconds)
                ? DateTimeOffset.FromUnixTimeSeconds(seconds)
                : throw new FormatException($"The JWK member '{RetiredAtMember}' must be an integer NumericDate.");
        }

        return new JsonWebKey(key, OptionalString(element, "kid"), OptionalString(element, StatusMember), retiredAt, OptionalString(element, CertificateMember));
    }

    /// <summary>Writes the JWK as a canonical JSON object (members in ordinal order).</summary>
    public void WriteTo(CanonicalJsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        writer.WriteString("alg", "ES256");
        writer.WriteString("crv", "P-256");
        writer.WriteString("kid", Kid);
        writer.WriteString("kty", "EC");
        if (Certificate is not null)
        {
            writer.WriteString(CertificateMember, Certificate);
        }

        if (RetiredAt is { } retiredAt)
        {
            writer.WriteNumber(RetiredAtMember, retiredAt.ToUnixTimeSeconds());
        }

        if (Status is not null)
        {
            writer.WriteString(StatusMember, Status);
        }

        writer.WriteString("use", "sig");
        writer.WriteString("x", Key.XBase64Url);
        writer.WriteString("y", Key.YBase64Url);
        writer.WriteEndObject();
    }

    public byte[] ToCanonicalJson()
    {
        using var writer = new CanonicalJsonWriter();
        WriteTo(writer);
        return writer.ToArray();
    }

    internal static JsonDocument ParseDocument(ReadOnlySpan<byte> utf8Json, string what)
    {
        try
        {
            return JsonDocument.Parse(utf8Json.ToArray(), new JsonDocumentOptions { AllowDuplicateProperties = false, MaxDepth = 32 });
        }
        catch (JsonException ex)
        {
            throw new FormatException($"The {what} is not valid JSON: {ex.Message}", ex);
        }
    }

    private static string? OptionalString(JsonElement element, string name)
    {
        if (!element.TryGetProperty(name, out var value))
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : throw new FormatException($"The JWK member '{name}' must be a string.");
    }

    private static byte[] Coordinate(JsonElement element, string name)
    {
        var text = OptionalString(element, name) ?? throw new FormatException($"The JWK has no '{name}' coordinate.");
        if (!Base64UrlStrict.IsStrict(text) || Base64Url.GetMaxDecodedLength(text.Length) < 32 || text.Length != 43)
        {
            throw new FormatException($"The JWK coordinate '{name}' must be 32 bytes in strict base64url (43 characters).");
        }

        return Base64UrlStrict.Decode(text, $"JWK coordinate '{name}'");
    }

    private static void EnsureOnCurve(EcPublicKey key)
    {
        try
        {
            using var ecdsa = key.CreateEcdsa();
        }
        catch (CryptographicException ex)
        {
            throw new FormatException("The JWK's x and y are not a point on the P-256 curve.", ex);
        }
    }
}
