using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Rtgf.UpstreamSimulator.Cricos;
using Rtgf.UpstreamSimulator.Faults;
using Rtgf.UpstreamSimulator.World;

namespace Rtgf.UpstreamSimulator.DataGovAu;

/// <summary>
/// data.gov.au's CKAN Action API over the simulated catalogue (<see cref="DataGovAuCatalogue"/> plus CRICOS from the world),
/// the simulator's only <c>package_show</c> and <c>package_search</c>:
/// <c>package_show?id=</c> (id or slug; 403 <c>Authorization Error</c> for a withdrawn dataset, as CKAN answers for a
/// soft-deleted one; 404 <c>Not Found Error</c> for an unknown one, CKAN's purged case; 409
/// <c>Validation Error</c> without an id) and <c>package_search?q=&amp;fq=&amp;rows=&amp;start=&amp;sort=</c> (every word
/// of <c>q</c> in the title, notes or organisation, <c>*:*</c> or empty for all; <c>fq</c> only
/// <c>organization:{name}</c>; results by name; <c>rows</c> at most 1000). Schema drift renames each resource's <c>id</c>
/// to <c>resource_id</c>. The resources' files live at <c>/data/dataset/{id}/resource/{resourceId}/download/{name}</c>
/// (the holidays year CSVs are written by the calendar simulator, <see cref="Calendar.HolidayEndpoints"/>; the rest are not served).
/// </summary>
internal static class DataGovAuEndpoints
{
    public const string ActionPath = "/data/api/3/action/";
    private const int RowsMax = 1000;

    public static void Map(WebApplication app, SimulatedWorld world)
    {
        app.MapGet(ActionPath + "package_show", (HttpContext context) =>
        {
            var id = context.Request.Query["id"].ToString();
            var baseUrl = BaseUrl(context);
            if (id.Length == 0)
            {
                return Error(baseUrl, "package_show", 409, "Validation Error", "id: Missing value");
            }

            JsonObject? package;
            var withdrawn = false;
            lock (world.Gate)
            {
                var dataset = world.DataGovAu.Find(id);
                withdrawn = dataset is { Withdrawn: true };
                package = id is "cricos" or CricosEndpoints.DatasetId
                    ? CricosEndpoints.Package(world, baseUrl)
                    : dataset is { Withdrawn: false } ? Package(dataset, baseUrl) : null;
            }

            if (withdrawn)
            {
                // CKAN soft-deletes: an anonymous package_show on a deleted (or private) dataset is refused, not Not Found.
                return Error(baseUrl, "package_show", 403, "Authorization Error", $"Access denied: User  not authorized to read package {id}");
            }

            if (package is null)
            {
                // Unknown here is CKAN's purged (or never published) dataset.
                return Error(baseUrl, "package_show", 404, "Not Found Error", "Not found");
            }

            return Envelope(baseUrl, "package_show", Drift(context, package));
        });

        app.MapGet(ActionPath + "package_search", (HttpContext context) =>
        {
            var baseUrl = BaseUrl(context);
            var query = context.Request.Query;
            if (!Natural(query["rows"].ToString(), 10, out var rows) || !Natural(query["start"].ToString(), 0, out var start))
            {
                return Error(baseUrl, "package_search", 409, "Validation Error", "rows/start: Must be a natural number");
            }

            var filter = query["fq"].ToString();
            string? organisation = null;
            if (filter.Length > 0)
            {
                if (!filter.StartsWith("organization:", StringComparison.Ordinal))
                {
                    return Error(baseUrl, "package_search", 409, "Search Query Error", $"Search error: the simulator's fq supports organization:{{name}} only, not '{filter}'");
                }

                organisation = filter["organization:".Length..];
            }

            var words = query["q"].ToString() is var q && (q.Length == 0 || q == "*:*")
                ? []
                : q.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            List<JsonObject> matches;
            lock (world.Gate)
            {
                var all = new List<(string Name, string Text, string Organisation, Func<JsonObject> Package)>
                {
                    ("cricos", "CRICOS Commonwealth Register of Institutions and Courses for Overseas Students Department of Education", "department-of-education", () => CricosEndpoints.Package(world, baseUrl)),
                };
                all.AddRange(world.DataGovAu.Datasets.Where(d => !d.Withdrawn).Select(d =>
                    (d.Name, $"{d.Title} {d.Notes} {d.OrganisationTitle} {d.Organisation}", d.Organisation, (Func<JsonObject>)(() => Package(d, baseUrl)))));
                matches = [.. all
                    .Where(d => (organisation is null || d.Organisation == organisation) && words.All(w => d.Text.Contains(w, StringComparison.OrdinalIgnoreCase)))
                    .OrderBy(d => d.Name, StringComparer.Ordinal)
                    .Select(d => d.Package())];
            }

            var page = new JsonArray([.. matches.Skip(start).Take(Math.Min(rows, RowsMax)).Select(p => (JsonNode)Drift(context, p))]);
            return Envelope(baseUrl, "package_search", new JsonObject { ["count"] = matches.Count, ["sort"] = "name asc", ["results"] = page });
        });
    }

    internal static JsonObject Package(CatalogueDataset dataset, string baseUrl) => new()
    {
        ["id"] = dataset.Id,
        ["name"] = dataset.Name,
        ["title"] = dataset.Title,
        ["notes"] = dataset.Notes,
        ["organization"] = new JsonObject { ["name"] = dataset.Organisation, ["title"] = dataset.OrganisationTitle },
        ["license_id"] = "cc-by-4.0",
        ["license_title"] = "Creative Commons Attribution 4.0 International",
        ["metadata_created"] = CricosEndpoints.Ckan(dataset.Created),
        ["metadata_modified"] = CricosEndpoints.Ckan(dataset.Modified),
        ["resources"] = new JsonArray([.. dataset.Resources.Select(r => (JsonNode)new JsonObject
        {
            ["id"] = r.Id,
            ["package_id"] = dataset.Id,
            ["name"] = r.Name,
            ["format"] = r.Format,
            ["url"] = $"{baseUrl}/data/dataset/{dataset.Id}/resource/{r.Id}/download/{FileName(r)}",
            ["created"] = CricosEndpoints.Ckan(r.Created),
            ["last_modified"] = r.LastModified is { } modified ? CricosEndpoints.Ckan(modified) : null,
            ["hash"] = r.Hash ?? string.Empty, // CKAN writes an empty string, not null, for "no hash"
            ["size"] = r.Size,
        })]),
    };

    private static string FileName(CatalogueResource resource) =>
        resource.Name.EndsWith(".csv", StringComparison.OrdinalIgnoreCase) ? resource.Name : resource.Id[..8] + "." + resource.Format.ToLowerInvariant();

    private static JsonObject Drift(HttpContext context, JsonObject package)
    {
        if (context.Features.Get<SchemaDriftFeature>() is not null)
        {
            foreach (var resource in package["resources"]!.AsArray().OfType<JsonObject>())
            {
                var id = resource["id"]!.DeepClone();
                resource.Remove("id");
                resource["resource_id"] = id;
            }
        }

        return package;
    }

    private static bool Natural(string text, int fallback, out int value)
    {
        if (text.Length == 0)
        {
            value = fallback;
            return true;
        }

        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value);
    }

    private static string BaseUrl(HttpContext context) => $"{context.Request.Scheme}://{context.Request.Host}";

    private static IResult Envelope(string baseUrl, string action, JsonObject result) => Results.Text(
        new JsonObject { ["help"] = Help(baseUrl, action), ["success"] = true, ["result"] = result }.ToJsonString(), "application/json");

    private static IResult Error(string baseUrl, string action, int status, string type, string message) => Results.Text(
        new JsonObject { ["help"] = Help(baseUrl, action), ["success"] = false, ["error"] = new JsonObject { ["__type"] = type, ["message"] = message } }.ToJsonString(),
        "application/json",
        statusCode: status);

    private static string Help(string baseUrl, string action) => $"{baseUrl}{ActionPath}help_show?name={action}";
}
