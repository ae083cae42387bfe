using System.Globalization;
using System.Text.Json;
using Rtgf.Ingestion.Outbound;

namespace Rtgf.Ingestion.Calendar;

/// <summary>A CKAN resource as <c>package_show</c> lists it (only what the calendar needs).</summary>
public sealed record CalendarPackageResource(string Id, string? Name, Uri Url, DateTimeOffset? LastModified, DateTimeOffset? Created);

/// <summary>
/// The calendar's own minimal CKAN <c>package_show</c> reader (<c>GET data/api/3/action/package_show?id=…</c>): the
/// dataset's resources with id, name, url and dates. It is private to the calendar part until it is folded into the
/// data.gov.au catalogue client (<c>shared/Rtgf.Ingestion/DataGovAu</c>) that the Magda monitor builds.
/// </summary>
internal static class CalendarPackageShow
{
    public const string Operation = "ckan-package-show";

    public static async Task<IReadOnlyList<CalendarPackageResource>> ReadAsync(HttpClient http, UpstreamOrigin origin, string datasetId, CancellationToken cancellationToken)
    {
        var url = origin.Resolve(origin.BaseAddress, "data/api/3/action/package_show?id=" + Uri.EscapeDataString(datasetId), "The CKAN package_show URL");
        using var request = new HttpRequestMessage(HttpMethod.Get, url).WithOperation(Operation, retrySafe: true);
        using var response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        response.EnsureSuccessStatusCode();
        var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        return Parse(bytes, datasetId, url, origin);
    }

    internal static IReadOnlyList<CalendarPackageResource> Parse(byte[] json, string datasetId, Uri url, UpstreamOrigin origin)
    {
        UpstreamFormatException Error(string problem) => new($"CKAN package_show for dataset {datasetId}: {problem}");
        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("success", out var success) || success.ValueKind != JsonValueKind.True)
            {
                throw Error("the answer is not a successful CKAN action result.");
            }

            if (!root.TryGetProperty("result", out var result) || !result.TryGetProperty("resources", out var resources) || resources.ValueKind != JsonValueKind.Array)
            {
                throw Error("the result has no resources array.");
            }

            var list = new List<CalendarPackageResource>();
            foreach (var resource in resources.EnumerateArray())
            {
                var id = Text(resource, "id") ?? throw Error("a resource has no id.");
                var link = Text(resource, "url") ?? throw Error($"resource {id} has no url.");
                list.Add(new CalendarPackageResource(
                    id,
                    Text(resource, "name"),
                    origin.Resolve(url, link, $"The url of CKAN resource {id}"),
                    Instant(resource, "last_modified", id, Error),
                    Instant(resource, "created", id, Error)));
            }

            return list;
        }
        catch (JsonException e)
        {
            throw new UpstreamFormatException($"CKAN package_show for dataset {datasetId} is not JSON: {e.Message}", e);
        }
    }

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text ? text.Trim() : null;

    /// <summary>CKAN's timestamps carry no zone and are UTC (<c>2025-06-02T23:50:00.123456</c>).</summary>
    private static DateTimeOffset? Instant(JsonElement element, string name, string id, Func<string, UpstreamFormatException> error)
    {
        var text = Text(element, name);
        if (text is null)
        {
            return null;
        }

        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var instant)
            ? instant
            : throw error($"resource {id} has {name} '{text}', which is not a timestamp.");
    }
}
