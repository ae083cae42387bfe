using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Rtgf.Pipeline.Webhooks;

/// <summary>
/// Svix-style signatures (Resend's webhooks): <c>svix-signature: v1,&lt;base64 HMAC-SHA256&gt;</c> (several, space-separated)
/// over <c>{svix-id}.{svix-timestamp}.{body}</c>, keyed by the base64 after <c>whsec_</c>; the timestamp within the tolerance.
/// The event id is <c>svix-id</c>; the type is the body's <c>type</c>.
/// </summary>
public sealed class SvixSignatureVerifier(string provider, string secretSetting) : IWebhookVerifier
{
    public const string IdHeader = "svix-id";
    public const string TimestampHeader = "svix-timestamp";
    public const string SignatureHeader = "svix-signature";
    public const string SecretPrefix = "whsec_";

    public string Provider => provider;

    public string SecretSetting => secretSetting;

    /// <summary>Resend's webhooks.</summary>
    public static SvixSignatureVerifier Resend() => new("resend", "Resend:WebhookSecret");

    public WebhookVerification Verify(Func<string, string?> header, ReadOnlyMemory<byte> body, string secret, DateTimeOffset now, TimeSpan tolerance)
    {
        ArgumentNullException.ThrowIfNull(header);
        ArgumentNullException.ThrowIfNull(secret);
        if (Key(secret) is not { } key)
        {
            return WebhookVerification.Misconfigured($"The setting {secretSetting} is not '{SecretPrefix}<base64>'.");
        }

        var id = header(IdHeader);
        var timestamp = header(TimestampHeader);
        var signatures = header(SignatureHeader);
        if (string.IsNullOrEmpty(id) || string.IsNullOrEmpty(timestamp) || string.IsNullOrEmpty(signatures))
        {
            return WebhookVerification.Refuse($"The {IdHeader}, {TimestampHeader} and {SignatureHeader} headers are all required.");
        }

        if (!long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
        {
            return WebhookVerification.Refuse($"The {TimestampHeader} header is not a Unix time in seconds.");
        }

        if (Math.Abs(now.ToUnixTimeSeconds() - seconds) > (long)tolerance.TotalSeconds)
        {
            return WebhookVerification.Refuse($"The {TimestampHeader} is outside the tolerance of {(long)tolerance.TotalSeconds} s.");
        }

        var expected = Sign(key, id, timestamp, body.Span);
        var matched = false;
        foreach (var candidate in signatures.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var comma = candidate.IndexOf(',', StringComparison.Ordinal);
            if (comma > 0 && candidate.AsSpan(0, comma).SequenceEqual("v1") && TryBase64(candidate[(comma + 1)..]) is { } given
                && CryptographicOperations.FixedTimeEquals(given, expected))
            {
                matched = true;
            }
        }

        if (!matched)
        {
            return WebhookVerification.Refuse("No v1 signature matches the body.");
        }

        string? type;
        try
        {
            using var document = JsonDocument.Parse(body);
            type = document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String
                ? t.GetString()
                : null;
        }
        catch (JsonException)
        {
            return WebhookVerification.Refuse("The signed body is not JSON.");
        }

        return WebhookVerification.Identified(id, type);
    }

    /// <summary>The v1 signature of a message (what a sender puts in <c>svix-signature</c> after <c>v1,</c>).</summary>
    public static byte[] Sign(ReadOnlySpan<byte> key, string id, string timestamp, ReadOnlySpan<byte> body)
    {
        ArgumentNullException.ThrowIfNull(id);
        ArgumentNullException.ThrowIfNull(timestamp);
        var prefix = Encoding.UTF8.GetBytes(id + "." + timestamp + ".");
        var content = new byte[prefix.Length + body.Length];
        prefix.CopyTo(content, 0);
        body.CopyTo(content.AsSpan(prefix.Length));
        return HMACSHA256.HashData(key, content);
    }

    /// <summary>The HMAC key of a <c>whsec_&lt;base64&gt;</c> secret, or null when it is not one.</summary>
    public static byte[]? Key(string secret) =>
        secret is not null && secret.StartsWith(SecretPrefix, StringComparison.Ordinal) && TryBase64(secret[SecretPrefix.Length..]) is { Length: > 0 } key ? key : null;

    private static byte[]? TryBase64(string text)
    {
        var buffer = new byte[text.Length];
        return Convert.TryFromBase64String(text, buffer, out var written) ? buffer[..written] : null;
    }
}
