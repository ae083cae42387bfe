using System.Buffers;
using System.Globalization;
using System.Text.Json;
using Rtgf.Core.Encoding;

namespace Rtgf.Ingestion.Snapshots;

/// <summary>
/// What a snapshot is: source, run, the fetch time (our clock when the fetching run started; upstream clocks go in
/// provenance), record count, <c>sha256:&lt;hex&gt;</c> digest of the records file, provenance and the compiler-input version. Serialised as RFC 8785 canonical JSON, so equal manifests
/// are equal bytes. See docs/spec/snapshots.md.
/// </summary>
public sealed record SnapshotManifest(
    string Source,
    string RunId,
    DateTimeOffset FetchedAt,
    long RecordCount,
    string Digest,
    IReadOnlyList<SnapshotProvenance> Provenance,
    int CompilerInputVersion = SnapshotManifest.CurrentCompilerInputVersion)
{
    /// <summary>Version of the record shapes the compiler reads; bump when a record's JSON changes meaning.</summary>
    public const int CurrentCompilerInputVersion = 1;

    public const string DigestPrefix = "sha256:";

    private static readonly SearchValues<char> LowerHex = SearchValues.Create("0123456789abcdef");

    /// <summary>The digest without its <c>sha256:</c> prefix (the path segment in the store).</summary>
    public string DigestHex => Digest[DigestPrefix.Length..];

    public byte[] ToCanonicalJson()
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteNumber("compilerInputVersion", CompilerInputVersion);
            writer.WriteString("digest", Digest);
            writer.WriteString("fetchedAt", Instant(FetchedAt));
            writer.WriteStartArray("provenance");
            foreach (var item in Provenance)
            {
                writer.WriteStartObject();
                writer.WriteString("etag", item.ETag);
                writer.WriteString("operation", item.Operation);
                writer.WriteString("serverTime", item.ServerTime is { } t ? Instant(t) : null);
                writer.WriteString("url", item.Url);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteNumber("recordCount", RecordCount);
            writer.WriteString("runId", RunId);
            writer.WriteString("source", Source);
            writer.WriteEndObject();
        }

        return CanonicalJson.Canonicalize(buffer.WrittenSpan);
    }

    /// <summary>Reads a manifest (members it does not know, such as a signer's <c>iat</c>/<c>exp</c>, are ignored).</summary>
    public static SnapshotManifest Parse(ReadOnlySpan<byte> utf8Json)
    {
        try
        {
            var reader = new Utf8JsonReader(utf8Json);
            using var document = JsonDocument.ParseValue(ref reader);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new SnapshotException("The snapshot manifest is not a JSON object.");
            }

            var provenance = new List<SnapshotProvenance>();
            foreach (var item in Member(root, "provenance", JsonValueKind.Array).EnumerateArray())
            {
                provenance.Add(new SnapshotProvenance(
                    Text(item, "url")!,
                    Text(item, "operation")!,
                    Text(item, "etag", optional: true),
                    Text(item, "serverTime", optional: true) is { } time ? ParseInstant(time, "provenance serverTime") : null));
            }

            var digest = Text(root, "digest")!;
            if (!IsDigest(digest))
            {
                throw new SnapshotException($"The snapshot manifest digest '{digest}' is not sha256:<64 lowercase hex>.");
            }

            return new SnapshotManifest(
                Text(root, "source")!,
                Text(root, "runId")!,
                ParseInstant(Text(root, "fetchedAt")!, "fetchedAt"),
                Member(root, "recordCount", JsonValueKind.Number).GetInt64(),
                digest,
                provenance,
                Member(root, "compilerInputVersion", JsonValueKind.Number).GetInt32());
        }
        catch (JsonException e)
        {
            throw new SnapshotException($"The snapshot manifest is not valid JSON: {e.Message}", e);
        }
        catch (FormatException e)
        {
            throw new SnapshotException($"The snapshot manifest has a number out of range: {e.Message}", e);
        }
    }

    internal static bool IsDigest(string digest) =>
        digest.Length == DigestPrefix.Length + 64 && digest.StartsWith(DigestPrefix, StringComparison.Ordinal)
        && digest.AsSpan(DigestPrefix.Length).ContainsAnyExcept(LowerHex) is false;

    internal static string Instant(DateTimeOffset value) =>
        value.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture);

    private static DateTimeOffset ParseInstant(string text, string what) =>
        DateTimeOffset.TryParseExact(text, "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var value)
            ? value
            : throw new SnapshotException($"The snapshot manifest {what} '{text}' is not a UTC timestamp (yyyy-MM-ddTHH:mm:ss[.fffffff]Z).");

    private static JsonElement Member(JsonElement owner, string name, JsonValueKind kind) =>
        owner.TryGetProperty(name, out var value) && value.ValueKind == kind
            ? value
            : throw new SnapshotException($"The snapshot manifest has no '{name}' of type {kind}.");

    private static string? Text(JsonElement owner, string name, bool optional = false)
    {
        if (owner.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String)
        {
            return value.GetString();
        }

        return optional && (!owner.TryGetProperty(name, out value) || value.ValueKind == JsonValueKind.Null)
            ? null
            : throw new SnapshotException($"The snapshot manifest has no string '{name}'.");
    }
}
