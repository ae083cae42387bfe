using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Rtgf.Pipeline.Waitlist;

/// <summary>
/// The waitlist's derived ids, each an HMAC-SHA256 under the id key (<see cref="Setting"/>, a stable pepper apart from
/// the rotating link key): lead ids, the limits' counter keys and link ids. Keyed, not plain hashes, so a lead id (in
/// links, logs and table keys) or a client address's counter row cannot be reversed by hashing guesses; stable, so the
/// same address always finds its lead and a link's idempotency key survives a link key rotation.
/// </summary>
public sealed class WaitlistIds
{
    /// <summary>The setting holding the id key (base64, at least 32 bytes; never rotated: lead ids depend on it).</summary>
    public const string Setting = "Waitlist:IdKey";

    public const int MinKeyBytes = 32;
    private const int LinkIdBytes = 16;

    private readonly byte[] _key;

    private WaitlistIds(byte[] key) => _key = key;

    /// <summary>The ids for the setting's value, or the reason it cannot be used (the key is never part of the reason).</summary>
    public static WaitlistIds? FromSetting(string? base64, out string problem)
    {
        problem = string.Empty;
        if (KeyBytes.Decode(base64, MinKeyBytes) is { } key)
        {
            return new WaitlistIds(key);
        }

        problem = string.IsNullOrWhiteSpace(base64)
            ? $"The setting {Setting} is missing: waitlist leads cannot be keyed."
            : $"The setting {Setting} must be base64 of at least {MinKeyBytes} bytes: waitlist leads cannot be keyed.";
        return null;
    }

    /// <summary>The lead id of a normalised address: 32 lower-case hex digits (a table key with no address in it).</summary>
    public string LeadId(string address) => Convert.ToHexStringLower(Mac("lead", address).AsSpan(0, 16));

    /// <summary>A limits counter's key for <paramref name="value"/> of <paramref name="kind"/> (a client address, a mailbox, a domain).</summary>
    public string CounterKey(string kind, string value) => Convert.ToHexStringLower(Mac("counter-" + kind, value).AsSpan(0, 16));

    /// <summary>
    /// The id of the <paramref name="number"/>th link of the lead created at <paramref name="createdAt"/>: 128 bits,
    /// base64url. Derived, not drawn: unique per lead, generation and number (the row's count only grows, by
    /// compare-and-swap; a lead deleted and created again has another creation time, so its links, and the comms
    /// idempotency keys named after them, are new). It is a nonce; the MAC is what makes a token genuine.
    /// </summary>
    public string LinkId(string leadId, DateTimeOffset createdAt, int number) =>
        Base64Url.EncodeToString(Mac("link-id", string.Join('\n',
            leadId, createdAt.UtcTicks.ToString(CultureInfo.InvariantCulture), number.ToString(CultureInfo.InvariantCulture))).AsSpan(0, LinkIdBytes));

    private byte[] Mac(string purpose, string value) =>
        HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes("rtgf-waitlist-" + purpose + "-v2\n" + value));
}

/// <summary>Base64 key settings: the bytes, or null when missing, not base64, or shorter than the minimum.</summary>
internal static class KeyBytes
{
    public static byte[]? Decode(string? base64, int minBytes)
    {
        if (string.IsNullOrWhiteSpace(base64))
        {
            return null;
        }

        var text = base64.Trim();
        var buffer = new byte[text.Length];
        return Convert.TryFromBase64String(text, buffer, out var length) && length >= minBytes ? buffer[..length] : null;
    }
}
