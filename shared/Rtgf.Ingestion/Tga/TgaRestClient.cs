using System.Globalization;
using System.Text.Json;
using Rtgf.Ingestion.Outbound;
using Rtgf.Ingestion.Records;

namespace Rtgf.Ingestion.Tga;

/// <summary>
/// The keyless TGA REST API (base address from configuration, e.g. <c>https://training.gov.au/</c>), for the endpoints the
/// research notes describe well enough: metadata, training search (<c>count</c>/<c>data</c>) and organisation scope
/// (<c>value</c>/<c>count</c>). Field names follow the notes (unverified against a captured response).
/// </summary>
public sealed class TgaRestClient(HttpClient http, int pageSize = 100)
{
    public async Task<TgaRestMetadata> GetMetadataAsync(CancellationToken cancellationToken = default)
    {
        using var json = await GetJsonAsync("api/metadata?api-version=1.0", "rest-metadata", cancellationToken);
        var root = json.RootElement;
        return new TgaRestMetadata(String(root, "dataExportSynchronisationDateTime"), String(root, "version"), String(root, "informationalVersion"));
    }

    /// <summary><c>GET /api/search/training</c>, every page.</summary>
    public async Task<IReadOnlyList<TrainingComponentSummary>> SearchTrainingAsync(string searchText, CancellationToken cancellationToken = default)
    {
        var items = new List<TrainingComponentSummary>();
        for (var offset = 0; ; offset += pageSize)
        {
            var path = $"api/search/training?api-version=1.0&searchText={Uri.EscapeDataString(searchText)}&pageSize={pageSize.ToString(CultureInfo.InvariantCulture)}&offset={offset.ToString(CultureInfo.InvariantCulture)}&includeTotalCount=true";
            using var json = await GetJsonAsync(path, "rest-search-training", cancellationToken);
            var (count, page) = Page(json.RootElement, "data", "count", "search/training");
            foreach (var item in page.EnumerateArray())
            {
                items.Add(new TrainingComponentSummary(
                    Required(item, "code", "search/training item"),
                    SnapshotJson.Sorted([Nested(item, "type", "id")]),
                    Member(item, "title", "search/training item"),
                    item.TryGetProperty("status", out var status) && status.ValueKind == JsonValueKind.Object && status.TryGetProperty("isCurrent", out var current) && current.ValueKind == JsonValueKind.True,
                    Nested(item, "usageRecommendation", "name"),
                    null));
            }

            if (page.GetArrayLength() == 0 || offset + pageSize >= count)
            {
                return items;
            }
        }
    }

    /// <summary><c>GET /api/organisation/{code}/scope</c>, every page, as scope records sorted by component code.</summary>
    public async Task<IReadOnlyList<ScopeRecord>> GetOrganisationScopeAsync(string organisationCode, CancellationToken cancellationToken = default)
    {
        var rows = new List<ScopeRecord>();
        for (var offset = 0; ; offset += pageSize)
        {
            var path = $"api/organisation/{Uri.EscapeDataString(organisationCode)}/scope?api-version=1.0&offset={offset.ToString(CultureInfo.InvariantCulture)}&pageSize={pageSize.ToString(CultureInfo.InvariantCulture)}&sorts=code";
            using var json = await GetJsonAsync(path, "rest-organisation-scope", cancellationToken);
            var (count, page) = Page(json.RootElement, "value", "count", "organisation scope");
            foreach (var item in page.EnumerateArray())
            {
                rows.Add(new ScopeRecord(
                    organisationCode,
                    Required(item, "code", "scope item"),
                    SnapshotJson.Sorted([String(item, "componentType")]),
                    String(item, "extent"),
                    item.TryGetProperty("isImplicit", out var isImplicit) && isImplicit.ValueKind == JsonValueKind.True,
                    false,
                    String(item, "status"),
                    Date(item, "startDate"),
                    Date(item, "endDate")));
            }

            if (page.GetArrayLength() == 0 || offset + pageSize >= count)
            {
                return [.. rows.OrderBy(r => r.ComponentCode, StringComparer.Ordinal).ThenBy(r => r.StartDate)];
            }
        }
    }

    private static (int Count, JsonElement Items) Page(JsonElement root, string itemsName, string countName, string what)
    {
        if (root.ValueKind != JsonValueKind.Object
            || !root.TryGetProperty(itemsName, out var items) || items.ValueKind != JsonValueKind.Array
            || !root.TryGetProperty(countName, out var count) || !count.TryGetInt32(out var total))
        {
            throw new UpstreamFormatException($"TGA REST {what}: expected an object with '{itemsName}' (array) and '{countName}' (integer).");
        }

        return (total, items);
    }

    private static string? String(JsonElement item, string name) =>
        item.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static string? Nested(JsonElement item, string name, string inner) =>
        item.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Object ? String(value, inner) : null;

    /// <summary>A member that must be present (it may be null): a missing one means the response drifted.</summary>
    private static string? Member(JsonElement item, string name, string what) =>
        item.TryGetProperty(name, out _) ? String(item, name) : throw new UpstreamFormatException($"TGA REST {what} has no '{name}' member.");

    private static string Required(JsonElement item, string name, string what) =>
        String(item, name) is { Length: > 0 } text ? text : throw new UpstreamFormatException($"TGA REST {what} has no '{name}'.");

    private static DateOnly? Date(JsonElement item, string name)
    {
        var text = String(item, name);
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        return text.Length >= 10 && DateOnly.TryParseExact(text.AsSpan(0, 10), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
            ? date
            : throw new UpstreamFormatException($"TGA REST '{name}' is not a date: '{text}'.");
    }

    private async Task<JsonDocument> GetJsonAsync(string path, string operation, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path).WithOperation(operation);
        using var response = await http.SendAsync(request, cancellationToken);
        response.EnsureSuccessStatusCode();
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        try
        {
            return await JsonDocument.ParseAsync(stream, default, cancellationToken);
        }
        catch (JsonException ex)
        {
            throw new UpstreamFormatException($"TGA REST {operation}: the response is not valid JSON (line {ex.LineNumber}, byte {ex.BytePositionInLine}).", ex);
        }
    }
}
