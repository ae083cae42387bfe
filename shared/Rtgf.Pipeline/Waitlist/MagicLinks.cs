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

/// <summary>A link token read back: its purpose, signing key id, lead, link id and expiry (none for unsubscribe links), not yet verified.</summary>
public sealed record LinkToken(LinkPurpose Purpose, string KeyId, string LeadId, string LinkId, DateTimeOffset? ExpiresAt, byte[] Mac);

/// <summary>
/// The waitlist's signed links (docs/spec/waitlist.md). A confirm token is <c>c.{kid}.{lead}.{link}.{expiry}.{mac}</c>,
/// an unsubscribe token <c>u.{kid}.{lead}.{mac}</c>; the MAC is HMAC-SHA256 under the link key named by <c>kid</c> over
/// the purpose, the key id, the lead id, the lead's address, the link id and the expiry. New tokens are signed with the
/// current key; tokens are verified against the key ring (the current key and the previous ones, all settings), so
/// rotating the key keeps emailed unsubscribe links working while the old key stays listed. The address is signed but not
/// carried: the token does not put the address in URLs and logs, and a token checked against another lead's address
/// fails. Single use and supersession are the lead row's business (its current link id), not the token's.
/// </summary>
public sealed class MagicLinks
{
    /// <summary>The setting holding the current link key (base64, at least 32 bytes): it signs new links.</summary>
    public const string Setting = "Waitlist:LinkKey";

    /// <summary>The setting holding the previous link keys (base64, comma-separated): they only verify.</summary>
    public const string PreviousSetting = "Waitlist:PreviousLinkKeys";

    public const int MinKeyBytes = 32;

    /// <summary>A confirm link works this long after it is sent.</summary>
    public static readonly TimeSpan ConfirmFor = TimeSpan.FromMinutes(15);

    private const int MaxTokenLength = 256;
    private const int LinkIdBytes = 16;
    private const int KeyIdBytes = 6;

    private readonly Key _current;
    private readonly IReadOnlyDictionary<string, Key> _ring;

    private MagicLinks(Key current, IReadOnlyDictionary<string, Key> ring)
    {
        _current = current;
        _ring = ring;
    }

    /// <summary>The key id of the key that signs new links (derived from the key: a rotation changes it).</summary>
    public string CurrentKeyId => _current.Id;

    /// <summary>The links for the current key's value and no previous keys, or the reason it cannot be used.</summary>
    public static MagicLinks? FromSetting(string? base64, out string problem) => FromSettings(base64, null, out problem);

    /// <summary>
    /// The links for the current key and the previous keys (comma-separated), or the reason they cannot be used (a key is
    /// never part of the reason).
    /// </summary>
    public static MagicLinks? FromSettings(string? current, string? previous, out string problem)
    {
        problem = string.Empty;
        if (KeyBytes.Decode(current, MinKeyBytes) is not { } key)
        {
            problem = string.IsNullOrWhiteSpace(current)
                ? $"The setting {Setting} is missing: waitlist links cannot be signed."
                : $"The setting {Setting} must be base64 of at least {MinKeyBytes} bytes: waitlist links cannot be signed.";
            return null;
        }

        var signer = new Key(key);
        var ring = new Dictionary<string, Key>(StringComparer.Ordinal) { [signer.Id] = signer };
        foreach (var text in (previous ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (KeyBytes.Decode(text, MinKeyBytes) is not { } old)
            {
                problem = $"The setting {PreviousSetting} must be base64 keys of at least {MinKeyBytes} bytes, comma-separated: waitlist links cannot be checked.";
                return null;
            }

            var verifier = new Key(old);
            ring.TryAdd(verifier.Id, verifier);
        }

        return new MagicLinks(signer, ring);
    }

    public string ConfirmToken(Lead lead, string linkId, DateTimeOffset expiresAt)
    {
        ArgumentNullException.ThrowIfNull(lead);
        var expiry = expiresAt.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        return $"c.{_current.Id}.{lead.Id}.{linkId}.{expiry}.{Base64Url.EncodeToString(Mac(_current, LinkPurpose.Confirm, lead.Id, lead.Email, linkId, expiry))}";
    }

    public string UnsubscribeToken(Lead lead)
    {
        ArgumentNullException.ThrowIfNull(lead);
        return $"u.{_current.Id}.{lead.Id}.{Base64Url.EncodeToString(Mac(_current, LinkPurpose.Unsubscribe, lead.Id, lead.Email, string.Empty, string.Empty))}";
    }

    /// <summary>The token's parts by shape alone (no key, no storage), or null when it is not a waitlist token of <paramref name="purpose"/>.</summary>
    public static LinkToken? Parse(string? token, LinkPurpose purpose)
    {
        if (token is null || token.Length > MaxTokenLength)
        {
            return null;
        }

        var parts = token.Split('.');
        var (expected, tag) = purpose == LinkPurpose.Confirm ? (6, "c") : (4, "u");
        if (parts.Length != expected || parts[0] != tag || Decode(parts[1]) is not { Length: KeyIdBytes } || !IsLeadId(parts[2]))
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
            return new LinkToken(purpose, parts[1], parts[2], string.Empty, null, mac);
        }

        if (Decode(parts[3]) is not { Length: LinkIdBytes }
            || parts[4].Length is 0 or > 12 || !parts[4].All(char.IsAsciiDigit)
            || !long.TryParse(parts[4], NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) || seconds > DateTimeOffset.MaxValue.ToUnixTimeSeconds())
        {
            return null;
        }

        return new LinkToken(purpose, parts[1], parts[2], parts[3], DateTimeOffset.FromUnixTimeSeconds(seconds), mac);
    }

    /// <summary>Whether the token was signed with a key of the ring for <paramref name="lead"/> (its id and its address), in fixed time.</summary>
    public bool Verify(LinkToken token, Lead lead)
    {
        ArgumentNullException.ThrowIfNull(token);
        ArgumentNullException.ThrowIfNull(lead);
        if (!_ring.TryGetValue(token.KeyId, out var key))
        {
            return false; // signed with a key no longer (or never) in the ring
        }

        var expiry = token.ExpiresAt is { } at ? at.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture) : string.Empty;
        var expected = Mac(key, token.Purpose, lead.Id, lead.Email, token.LinkId, expiry);
        return string.Equals(token.LeadId, lead.Id, StringComparison.Ordinal) && CryptographicOperations.FixedTimeEquals(expected, token.Mac);
    }

    private static byte[] Mac(Key key, LinkPurpose purpose, string leadId, string address, string linkId, string expiry) =>
        HMACSHA256.HashData(key.Bytes, Encoding.UTF8.GetBytes(string.Join('\n',
            "rtgf-waitlist-link-v2", purpose == LinkPurpose.Confirm ? "confirm" : "unsubscribe", key.Id, leadId, address, linkId, expiry)));

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

    /// <summary>A link key and its id: 48 bits of an HMAC under the key (names it in tokens without revealing it).</summary>
    private sealed class Key(byte[] bytes)
    {
        public byte[] Bytes { get; } = bytes;

        public string Id { get; } = Base64Url.EncodeToString(HMACSHA256.HashData(bytes, "rtgf-waitlist-key-id-v1"u8).AsSpan(0, KeyIdBytes));
    }
}
