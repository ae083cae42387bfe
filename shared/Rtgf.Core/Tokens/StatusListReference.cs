using System.Text.Json;

namespace Rtgf.Core.Tokens;

/// <summary>The IETF Token Status List reference: <c>"status":{"status_list":{"idx":…,"uri":…}}</c>.</summary>
public sealed record StatusListReference(long Index, string Uri)
{
    /// <summary>
    /// The reference in a token's payload (JSON), or null when it has none that reads. Every element's kind is checked
    /// before it is read: a wrong-typed member (<c>"idx":"5"</c>) is "no reference", never an exception.
    /// </summary>
    public static StatusListReference? TryRead(ReadOnlyMemory<byte> payload)
    {
        try
        {
            using var document = JsonDocument.Parse(payload);
            return TryRead(document.RootElement);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The reference in a parsed payload, or null when it has none that reads (see above).</summary>
    public static StatusListReference? TryRead(JsonElement payload) =>
        payload.ValueKind == JsonValueKind.Object && payload.TryGetProperty("status", out var status) ? TryReadStatus(status) : null;

    /// <summary>The reference in the value of a payload's <c>status</c> member, or null when it has none that reads (see above).</summary>
    public static StatusListReference? TryReadStatus(JsonElement status)
    {
        try
        {
            return status.ValueKind == JsonValueKind.Object
                && status.TryGetProperty("status_list", out var list) && list.ValueKind == JsonValueKind.Object
                && list.TryGetProperty("idx", out var idx) && idx.ValueKind == JsonValueKind.Number && idx.TryGetInt64(out var index) && index >= 0
                && list.TryGetProperty("uri", out var uri) && uri.ValueKind == JsonValueKind.String
                ? new StatusListReference(index, uri.GetString()!)
                : null;
        }
        catch (InvalidOperationException)
        {
            // The uri holds an escaped lone surrogate, which no string can carry.
            return null;
        }
    }
}
