using System.Globalization;
using Rtgf.Core.Encoding;
using Rtgf.Core.Tokens;

namespace Rtgf.Pipeline.Publishing;

/// <summary>Canonical (RFC 8785) transparency-log entries of the publication path (docs/spec/log-format.md, Entries).</summary>
internal static class LogEntries
{
    public static string Sha256(ReadOnlySpan<byte> data) => Sha256Digest.Of(data);

    public static string Sha256(string text) => Sha256(System.Text.Encoding.UTF8.GetBytes(text));

    public static string Time(DateTimeOffset at) => at.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    public static string Token(TokenRow row, IReadOnlyList<string> snapshotIds, string compilerVersion)
    {
        var token = row.Token;
        using var writer = new CanonicalJsonWriter(512);
        writer.WriteStartObject();
        writer.WriteString("compilerVersion", compilerVersion);
        writer.WriteString("family", token.Family);
        writer.WriteString("issuedAt", Time(token.IssuedAt));
        writer.WriteString("kid", row.Kid);
        writer.WritePropertyName("snapshotIds");
        writer.WriteStartArray();
        foreach (var id in snapshotIds)
        {
            writer.WriteString(id);
        }

        writer.WriteEndArray();
        writer.WriteString("subject", token.Subject);
        writer.WriteString("tokenDigest", Sha256(token.Jws));
        writer.WriteString("tokenId", token.TokenId);
        writer.WriteString("type", "token");
        writer.WriteEndObject();
        return System.Text.Encoding.UTF8.GetString(writer.WrittenSpan);
    }

    public static string Jwks(string jwksDigest, string addedKid, DateTimeOffset effectiveAt)
    {
        using var writer = new CanonicalJsonWriter(256);
        writer.WriteStartObject();
        writer.WritePropertyName("added");
        writer.WriteStartArray();
        writer.WriteString(addedKid);
        writer.WriteEndArray();
        writer.WriteString("effectiveAt", Time(effectiveAt));
        writer.WriteString("jwksDigest", jwksDigest);
        writer.WritePropertyName("retired");
        writer.WriteStartArray();
        writer.WriteEndArray();
        writer.WriteString("type", "jwks");
        writer.WriteEndObject();
        return System.Text.Encoding.UTF8.GetString(writer.WrittenSpan);
    }

    /// <summary>A status list was published: its URI, the epoch, the digest of the status-list token and the slots that changed.</summary>
    /// <summary>
    /// A status list republished at <paramref name="epoch"/>. <c>changed</c> is itself an IETF status list over the same
    /// indices (the new status at each changed index, 0 elsewhere), so the entry stays a few KiB however many tokens one
    /// publication revokes: a list of indices outgrew the log's 64 KiB entry limit at a few thousand revocations.
    /// </summary>
    public static string Revocation(string statusListUri, long epoch, string listJwt, StatusList changed, int count)
    {
        ArgumentNullException.ThrowIfNull(changed);
        using var writer = new CanonicalJsonWriter(256);
        writer.WriteStartObject();
        writer.WritePropertyName("changed");
        writer.WriteStartObject();
        writer.WriteNumber("bits", changed.Bits);
        writer.WriteNumber("count", count);
        writer.WriteString("lst", changed.Encode());
        writer.WriteEndObject();
        writer.WriteString("listDigest", Sha256(listJwt));
        writer.WriteNumber("revEpoch", epoch);
        writer.WriteString("statusListUri", statusListUri);
        writer.WriteString("type", "revocation");
        writer.WriteEndObject();
        return System.Text.Encoding.UTF8.GetString(writer.WrittenSpan);
    }

    public static string OperatorAction(string actor, string action, string target, string reason, DateTimeOffset at)
    {
        using var writer = new CanonicalJsonWriter(256);
        writer.WriteStartObject();
        writer.WriteString("action", action);
        writer.WriteString("actor", actor);
        writer.WriteString("at", Time(at));
        writer.WriteString("reason", reason);
        writer.WriteString("target", target);
        writer.WriteString("type", "operator-action");
        writer.WriteEndObject();
        return System.Text.Encoding.UTF8.GetString(writer.WrittenSpan);
    }
}
