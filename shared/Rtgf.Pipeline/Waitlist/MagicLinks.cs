using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Rtgf.Pipeline.Waitlist;

/// <summary>What a waitlist link does: confirm the address (single use, short-lived) or unsubscribe it (long-lived).</summary>
public enum LinkPurpose
{
    Confirm,
    Unsubscribe,
}

/// <summary>A link token read back: its purpose, lead, link id and expiry (no expiry for unsubscribe links), not yet verified.</summary>
public sealed record LinkToken(LinkPurpose Purpose, string LeadId, string LinkId, DateTimeOffset? ExpiresAt, byte[] Mac);

/// <summary>
/// The waitlist's signed links (docs/spec/waitlist.md). A confirm token is <c>c.{lead}.{link}.{expiry}.{mac}</c>, an
/// unsubscribe token <c>u.{lead}.{mac}</c>; the MAC is HMAC-SHA256 under the link key (a setting: a Key Vault reference in
/// Azure) over the purpose, the lead id, the lead's address, the link id and the expiry. The address is signed but not
/// carried: the token does not put the address in URLs and logs, and a token checked against another lead's address
/// fails. Single use and supersession are the lead row's business (its current link id), not the token's.
/// </summary>
public sealed class MagicLinks
{
    /// <summary>The setting holding the link key (base64, at least 32 bytes).</summary>
    public const string Setting = "Waitlist:LinkKey";

    public const int MinKeyBytes = 32;

    /// <summary>A confirm link works this long after it is sent.</summary>
    public static readonly TimeSpan ConfirmFor = TimeSpan.FromMinutes(15);

    private const int MaxTokenLength = 256;
    private const int LinkIdBytes = 16;

    private readonly byte[] _key;

    private MagicLinks(byte[] key) => _key = key;

    /// <summary>The links for the setting's value, or the reason it cannot be used (the key is never part of the reason).</summary>
    public static MagicLinks? FromSetting(string? base64, out string problem)
    {
        problem = string.Empty;
        if (string.IsNullOrWhiteSpace(base64))
        {
            problem = $"The setting {Setting} is missing: waitlist links cannot be signed.";
            return null;
        }

        var buffer = new byte[base64.Length];
        if (!Convert.TryFromBase64String(base64.Trim(), buffer, out var length) || length < MinKeyBytes)
        {
            problem = $"The setting {Setting} must be base64 of at least {MinKeyBytes} bytes: waitlist links cannot be signed.";
            return null;
        }

        return new MagicLinks(buffer[..length]);
    }

    /// <summary>
    /// The id of a lead's <paramref name="number"/>th link: 128 bits of HMAC under the link key, base64url. Derived, not
    /// drawn (no randomness to allow-list): unique per lead and number (the lead row's count only grows, by compare-and-swap),
    /// and unguessable without the key; it is a nonce, the MAC is what makes a token genuine.
    /// </summary>
    public string LinkId(string leadId, int number) =>
        Base64Url.EncodeToString(HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes($"rtgf-waitlist-link-id-v1\n{leadId}\n{number.ToString(CultureInfo.InvariantCulture)}")).AsSpan(0, LinkIdBytes));

    public string ConfirmToken(Lead lead, string linkId, DateTimeOffset expiresAt)
    {
        ArgumentNullException.ThrowIfNull(lead);
        var expiry = expiresAt.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        return $"c.{lead.Id}.{linkId}.{expiry}.{Base64Url.EncodeToString(Mac(LinkPurpose.Confirm, lead.Id, lead.Email, linkId, expiry))}";
    }

    public string UnsubscribeToken(Lead lead)
    {
        ArgumentNullException.ThrowIfNull(lead);
        return $"u.{lead.Id}.{Base64Url.EncodeToString(Mac(LinkPurpose.Unsubscribe, lead.Id, lead.Email, string.Empty, string.Empty))}";
    }

    /// <summary>The token's parts by shape alone (no key, no storage), or null when it is not a waitlist token of <paramref name="purpose"/>.</summary>
    public static LinkToken? Parse(string? token, LinkPurpose purpose)
    {
        if (token is null || token.Length > MaxTokenLength)
        {
            return null;
        }

        var parts = token.Split('.');
        var (expected, tag) = purpose == LinkPurpose.Confirm ? (5, "c") : (3, "u");
        if (parts.Length != expected || parts[0] != tag || !IsLeadId(parts[1]))
        {
            return null;
        }

        var mac = Decode(parts[^1]);
        if (mac is not { Length: HMACSHA256.HashSizeInBytes })
        {
            return null;
        }

        if (purpose == LinkPurpose.Unsubscribe)
        {
            return new LinkToken(purpose, parts[1], string.Empty, null, mac);
        }

        if (Decode(parts[2]) is not { Length: LinkIdBytes }
            || parts[3].Length is 0 or > 12 || !parts[3].All(char.IsAsciiDigit)
            || !long.TryParse(parts[3], NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) || seconds > DateTimeOffset.MaxValue.ToUnixTimeSeconds())
        {
            return null;
        }

        return new LinkToken(purpose, parts[1], parts[2], DateTimeOffset.FromUnixTimeSeconds(seconds), mac);
    }

    /// <summary>Whether the token was signed with this key for <paramref name="lead"/> (its id and its address), in fixed time.</summary>
    public bool Verify(LinkToken token, Lead lead)
    {
        ArgumentNullException.ThrowIfNull(token);
        ArgumentNullException.ThrowIfNull(lead);
        var expiry = token.ExpiresAt is { } at ? at.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture) : string.Empty;
        var expected = Mac(token.Purpose, lead.Id, lead.Email, token.LinkId, expiry);
        return string.Equals(token.LeadId, lead.Id, StringComparison.Ordinal) && CryptographicOperations.FixedTimeEquals(expected, token.Mac);
    }

    private byte[] Mac(LinkPurpose purpose, string leadId, string address, string linkId, string expiry) =>
        HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes(string.Join('\n', "rtgf-waitlist-link-v1", purpose == LinkPurpose.Confirm ? "confirm" : "unsubscribe", leadId, address, linkId, expiry)));

    private static bool IsLeadId(string text) => text.Length == 32 && text.All(c => char.IsAsciiDigit(c) || c is >= 'a' and <= 'f');

    private static byte[]? Decode(string text)
    {
        if (text.Length is 0 or > 64)
        {
            return null;
        }

        var bytes = new byte[Base64Url.GetMaxDecodedLength(text.Length)];
        return Base64Url.DecodeFromChars(text, bytes, out _, out var written) == System.Buffers.OperationStatus.Done
            && Base64Url.EncodeToString(bytes.AsSpan(0, written)) == text // one spelling per value: no padding bits set
            ? bytes[..written]
            : null;
    }
}
