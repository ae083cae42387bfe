using System.Globalization;
using System.Text.Json;

namespace Rtgf.Pipeline.Sessions;

/// <summary>
/// A signed-in session (docs/spec/archives.md#sessions). <paramref name="Id"/> is the SHA-256 (hex) of the session's
/// secret, which only the client holds; <paramref name="Subject"/> is who signed in (an email for a magic link, an
/// API key id for a key owner). It is active until it <paramref name="Expires"/> or is <paramref name="Ended"/>.
/// </summary>
public sealed record Session(
    string Id,
    string Subject,
    string Kind,
    DateTimeOffset Created,
    DateTimeOffset LastSeen,
    DateTimeOffset Expires,
    DateTimeOffset? Ended)
{
    public bool IsActive(DateTimeOffset now) => Ended is null && now < Expires;

    /// <summary>When the session stopped: its sign-out, else its expiry. Archives are filed under this day.</summary>
    public DateTimeOffset Over => Ended is { } ended && ended < Expires ? ended : Expires;

    /// <summary>The archived form: one JSON object, fixed member order, UTC round-trip times.</summary>
    public byte[] ToJson()
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("id", Id);
            json.WriteString("subject", Subject);
            json.WriteString("kind", Kind);
            json.WriteString("created", Time(Created));
            json.WriteString("lastSeen", Time(LastSeen));
            json.WriteString("expires", Time(Expires));
            if (Ended is { } ended)
            {
                json.WriteString("ended", Time(ended));
            }

            json.WriteEndObject();
        }

        return buffer.ToArray();
    }

    public static string Time(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffffffZ", CultureInfo.InvariantCulture);
}

/// <summary>The kinds of session: one name per way of signing in.</summary>
public static class SessionKinds
{
    /// <summary>Signed in by a magic link sent to an email address (the site and workspace).</summary>
    public const string MagicLink = "magic-link";

    /// <summary>Signed in as the owner of an API key (the key's management pages).</summary>
    public const string ApiKeyOwner = "api-key-owner";

    public static bool IsKnown(string kind) => kind is MagicLink or ApiKeyOwner;
}
