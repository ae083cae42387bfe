using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using Rtgf.Core.Encoding;

namespace Rtgf.Core.Signing;

/// <summary>A JWK Set, <c>{"keys":[...]}</c> (RFC 7517 §5). Keys of other types are skipped, as §5 asks; kids are unique.</summary>
public sealed class JsonWebKeySet
{
    private readonly Dictionary<string, JsonWebKey> _byKid;

    public JsonWebKeySet(IEnumerable<JsonWebKey> keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        Keys = [.. keys];
        _byKid = new Dictionary<string, JsonWebKey>(StringComparer.Ordinal);
        foreach (var key in Keys)
        {
            if (!_byKid.TryAdd(key.Kid, key))
            {
                throw new FormatException($"The JWK Set has two keys with kid '{key.Kid}'.");
            }
        }
    }

    public IReadOnlyList<JsonWebKey> Keys { get; }

    public bool TryGetKey(string kid, [NotNullWhen(true)] out JsonWebKey? key) => _byKid.TryGetValue(kid, out key);

    /// <summary>Parses a JWK Set. A private member (<c>d</c>) anywhere fails the whole set: it must never be published.</summary>
    public static JsonWebKeySet Parse(ReadOnlySpan<byte> utf8Json)
    {
        using var document = JsonWebKey.ParseDocument(utf8Json, "JWK Set");
        if (document.RootElement.ValueKind != JsonValueKind.Object ||
            !document.RootElement.TryGetProperty("keys", out var keys) ||
            keys.ValueKind != JsonValueKind.Array)
        {
            throw new FormatException("A JWK Set must be an object with a 'keys' array.");
        }

        var parsed = new List<JsonWebKey>();
        var index = 0;
        foreach (var element in keys.EnumerateArray())
        {
            if (element.ValueKind == JsonValueKind.Object && !element.TryGetProperty("d", out _) && !IsSupportedType(element))
            {
                index++;
                continue;
            }

            try
            {
                parsed.Add(JsonWebKey.Parse(element));
            }
            catch (FormatException ex)
            {
                throw new FormatException($"JWK Set key #{index}: {ex.Message}", ex);
            }

            index++;
        }

        return new JsonWebKeySet(parsed);
    }

    public byte[] ToCanonicalJson()
    {
        using var writer = new CanonicalJsonWriter(512);
        writer.WriteStartObject();
        writer.WritePropertyName("keys");
        writer.WriteStartArray();
        foreach (var key in Keys)
        {
            key.WriteTo(writer);
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
        return writer.ToArray();
    }

    private static bool IsSupportedType(JsonElement element) =>
        element.TryGetProperty("kty", out var kty) && kty.ValueKind == JsonValueKind.String && kty.ValueEquals("EC") &&
        element.TryGetProperty("crv", out var crv) && crv.ValueKind == JsonValueKind.String && crv.ValueEquals("P-256");
}
