using System.Globalization;
using System.Text.Json;

namespace Rtgf.Ingestion.DataGovAu;

/// <summary>
/// Strict reader of CKAN Action API answers: the envelope <c>{"help", "success", "result"}</c> (or
/// <c>{"success": false, "error": {"__type", "message"}}</c>) and the dataset/resource fields RTGF reads. A dataset without
/// <c>id</c>, <c>name</c> or a parseable <c>metadata_modified</c>, a resource without <c>id</c>, or a <c>success:false</c>
/// envelope is an <see cref="UpstreamFormatException"/> naming the action, the dataset and the field; it never returns part of an answer.
/// </summary>
public static class CkanJson
{
    private static readonly string[] InstantFormats =
    [
        "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK", "yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd",
    ];

    /// <summary>The <c>error.__type</c> of a <c>success:false</c> envelope (e.g. <c>Not Found Error</c>), or null.</summary>
    public static string? ErrorType(JsonDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        var root = document.RootElement;
        return root.ValueKind == JsonValueKind.Object && root.TryGetProperty("success", out var success) && success.ValueKind == JsonValueKind.False
            && root.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.Object && error.TryGetProperty("__type", out var type) && type.ValueKind == JsonValueKind.String
            ? type.GetString()
            : null;
    }

    /// <summary>The <c>result</c> of a successful envelope; a <c>success:false</c> answer names its <c>__type</c> and message.</summary>
    public static JsonElement Result(JsonDocument document, string action)
    {
        ArgumentNullException.ThrowIfNull(document);
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("success", out var success) || success.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
        {
            throw new UpstreamFormatException($"CKAN {action}: the answer is not an Action API envelope (no boolean 'success').");
        }

        if (success.ValueKind == JsonValueKind.False)
        {
            var error = root.TryGetProperty("error", out var e) && e.ValueKind == JsonValueKind.Object ? e : default;
            throw new UpstreamFormatException($"CKAN {action}: success is false: {Text(error, "__type") ?? "(no __type)"}: {Text(error, "message") ?? "(no message)"}.");
        }

        return root.TryGetProperty("result", out var result) && result.ValueKind != JsonValueKind.Null
            ? result
            : throw new UpstreamFormatException($"CKAN {action}: 'success' is true but there is no 'result'.");
    }

    /// <summary>Parses JSON bytes, naming the action when they are not JSON.</summary>
    public static JsonDocument Parse(ReadOnlyMemory<byte> json, string action)
    {
        try
        {
            return JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            throw new UpstreamFormatException($"CKAN {action}: not JSON ({e.Message}).", e);
        }
    }

    public static CkanDataset Dataset(JsonElement element, string action)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new UpstreamFormatException($"CKAN {action}: a dataset is {element.ValueKind}, not an object.");
        }

        var id = Text(element, "id");
        var name = Text(element, "name");
        var label = id ?? name ?? "(unnamed)";
        if (id is null)
        {
            throw Missing(action, label, "id");
        }

        if (name is null)
        {
            throw Missing(action, label, "name");
        }

        var modified = Instant(element, "metadata_modified", action, label) ?? throw Missing(action, label, "metadata_modified");
        var organisation = element.TryGetProperty("organization", out var org) && org.ValueKind == JsonValueKind.Object ? Text(org, "name") : null;
        var resources = new List<CkanResource>();
        if (element.TryGetProperty("resources", out var list) && list.ValueKind != JsonValueKind.Null)
        {
            if (list.ValueKind != JsonValueKind.Array)
            {
                throw new UpstreamFormatException($"CKAN {action}: dataset {label}: 'resources' is {list.ValueKind}, not an array.");
            }

            var index = 0;
            foreach (var resource in list.EnumerateArray())
            {
                resources.Add(Resource(resource, action, label, index++));
            }
        }

        var duplicate = resources.GroupBy(r => r.Id, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new UpstreamFormatException($"CKAN {action}: dataset {label}: resource id {duplicate.Key} appears twice.");
        }

        // A soft-deleted, draft or private dataset is not public: the monitor treats it as withdrawn.
        var state = Text(element, "state");
        var isPrivate = element.TryGetProperty("private", out var p) && p.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False or JsonValueKind.Null => false,
            _ => throw new UpstreamFormatException($"CKAN {action}: dataset {label}: 'private' is {p.ValueKind}, not a boolean."),
        };
        var hidden = isPrivate || (state is not null && !string.Equals(state, "active", StringComparison.Ordinal));
        return new CkanDataset(id, name, Text(element, "title"), organisation, modified, Text(element, "license_id"), resources, hidden);
    }

    private static CkanResource Resource(JsonElement element, string action, string dataset, int index)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new UpstreamFormatException($"CKAN {action}: dataset {dataset}: resources[{index}] is {element.ValueKind}, not an object.");
        }

        var id = Text(element, "id") ?? throw new UpstreamFormatException($"CKAN {action}: dataset {dataset}: resources[{index}] has no 'id'.");
        var label = $"{dataset} resource {id}";
        var size = element.TryGetProperty("size", out var s) ? Size(s) : null;

        return new CkanResource(
            id,
            Text(element, "name"),
            Text(element, "format"),
            Text(element, "url"),
            Instant(element, "last_modified", action, label),
            Text(element, "hash"),
            size,
            Instant(element, "created", action, label));
    }

    /// <summary>
    /// A resource's <c>size</c> in bytes: a whole number (also written <c>1234.0</c>, or as a string). Anything else — a
    /// fraction, a negative number, text such as <c>"12 KB"</c>, an empty string — is read as unknown (null) rather than
    /// failing the run: publishers fill it by hand, and it only feeds the resource's fingerprint.
    /// </summary>
    internal static long? Size(JsonElement value)
    {
        decimal number;
        if (value.ValueKind == JsonValueKind.Number)
        {
            if (!value.TryGetDecimal(out number))
            {
                return null;
            }
        }
        else if (value.ValueKind != JsonValueKind.String
            || !decimal.TryParse(value.GetString(), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out number))
        {
            return null;
        }

        return number >= 0 && number <= long.MaxValue && decimal.Truncate(number) == number ? (long)number : null;
    }

    /// <summary>A string member, trimmed; absent, null or empty is none. Any other JSON kind is a format error.</summary>
    internal static string? Text(JsonElement element, string name)
    {
        if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            throw new UpstreamFormatException($"CKAN: '{name}' is {value.ValueKind}, not a string.");
        }

        var text = value.GetString()!.Trim();
        return text.Length == 0 ? null : text;
    }

    private static DateTimeOffset? Instant(JsonElement element, string name, string action, string label)
    {
        var text = Text(element, name);
        if (text is null)
        {
            return null;
        }

        return DateTimeOffset.TryParseExact(text, InstantFormats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var value)
            ? value
            : throw new UpstreamFormatException($"CKAN {action}: dataset {label}: '{name}' is '{text}', not an ISO 8601 instant.");
    }

    private static UpstreamFormatException Missing(string action, string dataset, string field) =>
        new($"CKAN {action}: dataset {dataset} has no '{field}'.");
}
