using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using System.Xml.Linq;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Rtgf.UpstreamSimulator.Faults;
using Rtgf.UpstreamSimulator.Formats;
using Rtgf.UpstreamSimulator.World;

namespace Rtgf.UpstreamSimulator.AusTender;

/// <summary>
/// AusTender: the OCDS API's <c>ocds/findByDates/contractLastModified/{from}/{to}</c> (a release package, 100 releases a
/// page, <c>links.next</c> a full URL with <c>?page=N</c>; an empty window is a 400 with <c>errorCode</c> 100) over the
/// generated and scripted releases, and the approach-to-market RSS at <c>public_data/rss/rss.xml</c>. Schema drift drops
/// the <c>date</c> of a page's first release (a malformed release).
/// </summary>
internal static class AusTenderEndpoints
{
    public const string WindowRoute = "/ocds/findByDates/contractLastModified/{from}/{to}";
    public const string RssPath = "/public_data/rss/rss.xml";
    public const int PageSize = 100;

    /// <summary>How far back the RSS lists approaches to market (the feed holds the open ones).</summary>
    public const int AtmDays = 30;

    public static void Map(WebApplication app, SimulatedWorld world)
    {
        app.MapGet(WindowRoute, async (string from, string to, HttpContext context) =>
        {
            if (!TryInstant(from, out var start) || !TryInstant(to, out var end) || end <= start)
            {
                await SendJsonAsync(context, StatusCodes.Status400BadRequest, new JsonObject { ["errorCode"] = 101, ["message"] = $"Invalid Date Range [{from} - {to}]" }).ConfigureAwait(false);
                return;
            }

            var page = int.TryParse(context.Request.Query["page"], NumberStyles.None, CultureInfo.InvariantCulture, out var p) && p > 0 ? p : 1;
            JsonObject package;
            lock (world.Gate)
            {
                package = Package(world, start, end, page, context);
            }

            if (package["releases"] is JsonArray { Count: 0 })
            {
                await SendJsonAsync(context, StatusCodes.Status400BadRequest, new JsonObject { ["errorCode"] = 100, ["message"] = $"No Records found for Date Range [{from} - {to}]" }).ConfigureAwait(false);
                return;
            }

            if (context.Features.Get<SchemaDriftFeature>() is not null && package["releases"]![0] is JsonObject first)
            {
                first.Remove("date");
            }

            await SendJsonAsync(context, StatusCodes.Status200OK, package).ConfigureAwait(false);
        });

        app.MapGet(RssPath, async (HttpContext context) =>
        {
            string xml;
            lock (world.Gate)
            {
                xml = Rss(world, context.Features.Get<SchemaDriftFeature>() is not null);
            }

            await HttpDownload.SendTextAsync(context, xml, "application/rss+xml; charset=utf-8").ConfigureAwait(false);
        });
    }

    /// <summary>One page of the window's release package (generated then scripted releases, by date then id).</summary>
    internal static JsonObject Package(SimulatedWorld world, DateTimeOffset from, DateTimeOffset to, int page, HttpContext? context)
    {
        var generated = AusTenderGenerator.ReleasesIn(world, from, to);
        var scripted = world.AusTender.In(from, to).ToList();
        var all = generated.Select(r => (r.Date, r.Id, Ref: (AusTenderGenerator.ReleaseRef?)r, Json: (JsonObject?)null))
            .Concat(scripted.Select(s => (s.Date, s.Id, Ref: (AusTenderGenerator.ReleaseRef?)null, Json: (JsonObject?)s.Release)))
            .OrderBy(r => r.Date).ThenBy(r => r.Id, StringComparer.Ordinal)
            .ToList();
        var releases = new JsonArray();
        foreach (var item in all.Skip((page - 1) * PageSize).Take(PageSize))
        {
            releases.Add(item.Json ?? AusTenderGenerator.Release(world, item.Ref!.Value));
        }

        var package = new JsonObject
        {
            ["uri"] = context is null ? null : $"{context.Request.Scheme}://{context.Request.Host}{context.Request.Path}",
            ["publisher"] = new JsonObject { ["name"] = "Department of Finance" },
            ["publishedDate"] = AusTenderGenerator.Format(world.Clock),
            ["license"] = "https://creativecommons.org/licenses/by/3.0/au/",
            ["version"] = "1.1",
            ["extensions"] = new JsonArray("http://cdn.tenders.gov.au/ocds/schema/extension.json"),
            ["releases"] = releases,
        };
        if (page * PageSize < all.Count && context is not null)
        {
            package["links"] = new JsonObject { ["next"] = $"{context.Request.Scheme}://{context.Request.Host}{context.Request.Path}?page={(page + 1).ToString(CultureInfo.InvariantCulture)}" };
        }

        return package;
    }

    /// <summary>The RSS of approaches to market published in the last <see cref="AtmDays"/> days; drifted, items lose their ATM ID line.</summary>
    internal static string Rss(SimulatedWorld world, bool drift)
    {
        var channel = new XElement("channel",
            new XElement("title", "AusTender - Current Approaches to Market"),
            new XElement("link", "https://www.tenders.gov.au/atm"),
            new XElement("description", "Current Approaches to Market published on AusTender"));
        foreach (var atm in Atms(world).OrderByDescending(a => a.Published).ThenBy(a => a.Id, StringComparer.Ordinal))
        {
            var description = new StringBuilder();
            if (!drift)
            {
                description.Append("ATM ID: ").Append(atm.Id).Append('\n');
            }

            description.Append("Agency: ").Append(atm.Agency).Append('\n')
                .Append("Close Date: ").Append(AusTenderGenerator.Format(atm.Closes)).Append('\n')
                .Append(atm.Description);
            channel.Add(new XElement("item",
                new XElement("title", atm.Title),
                new XElement("link", "/Atm/Show/" + atm.Uuid),
                new XElement("guid", atm.Uuid),
                new XElement("pubDate", atm.Published.UtcDateTime.ToString("r", CultureInfo.InvariantCulture)),
                new XElement("category", atm.Category),
                new XElement("description", description.ToString())));
        }

        return new XDocument(new XDeclaration("1.0", "utf-8", null), new XElement("rss", new XAttribute("version", "2.0"), channel)).ToString(SaveOptions.DisableFormatting);
    }

    internal sealed record Atm(string Id, string Uuid, string Title, string Agency, string Category, DateTimeOffset Published, DateTimeOffset Closes, string Description);

    internal static IEnumerable<Atm> Atms(SimulatedWorld world)
    {
        var today = AusTenderGenerator.DayOf(world.Clock);
        var perDay = world.Corpus == "national" ? 15 : 3;
        for (var day = today - AtmDays; day <= today; day++)
        {
            for (var i = 0; i < perDay; i++)
            {
                var rng = new SplitMix64(world.Seed ^ ((ulong)(uint)day << 24) ^ (uint)i ^ 0xA7A7A7A7UL);
                var published = new DateTimeOffset(AusTenderGenerator.Epoch.AddDays(day).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero).AddSeconds(rng.Next(86_400));
                if (published > world.Clock)
                {
                    continue;
                }

                var education = rng.Chance(20);
                var category = education ? "86101700" : "80101507";
                var year = AusTenderGenerator.Epoch.AddDays(day).Year.ToString(CultureInfo.InvariantCulture);
                var id = $"ATM{year}-{day.ToString("00000", CultureInfo.InvariantCulture)}-{i.ToString("00", CultureInfo.InvariantCulture)}";
                yield return new Atm(
                    id,
                    rng.NextUInt64().ToString("x16", CultureInfo.InvariantCulture),
                    education ? "Provision of accredited training services" : "Provision of advisory services",
                    "Department of Employment and Workplace Relations",
                    category,
                    published,
                    published.AddDays(14 + rng.Next(28)),
                    education ? "The Department seeks registered training organisations to deliver nationally recognised training." : "The Department seeks advisory services.");
            }
        }
    }

    private static bool TryInstant(string text, out DateTimeOffset value) =>
        DateTimeOffset.TryParseExact(text, "yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out value);

    private static Task SendJsonAsync(HttpContext context, int status, JsonObject body)
    {
        context.Response.StatusCode = status;
        return HttpDownload.SendTextAsync(context, body.ToJsonString(), "application/json; charset=utf-8");
    }
}
