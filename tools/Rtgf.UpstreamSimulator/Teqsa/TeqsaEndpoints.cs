using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Rtgf.UpstreamSimulator.Faults;
using Rtgf.UpstreamSimulator.Formats;
using Rtgf.UpstreamSimulator.World;
using static System.Net.WebUtility;

namespace Rtgf.UpstreamSimulator.Teqsa;

/// <summary>
/// TEQSA's National Register as HTML: a paged list (<c>?page=N</c>, from 0, 50 a page) linking to provider pages,
/// each with a <c>dl.provider-details</c> of labelled facts and a <c>table.provider-courses</c>.
/// </summary>
internal static class TeqsaEndpoints
{
    public const string ListPath = "/national-register";
    public const int PageSize = 50;

    public static readonly string[] DetailLabels =
    [
        "Provider ID", "ABN", "Trading name", "Provider category", "Self-accrediting authority", "Registration status",
        "Registration expiry", "Website", "Head office address",
    ];

    public static void Map(WebApplication app, SimulatedWorld world)
    {
        app.MapGet(ListPath, async (HttpContext context) =>
        {
            var page = int.TryParse(context.Request.Query["page"], NumberStyles.None, CultureInfo.InvariantCulture, out var p) ? p : 0;
            string html;
            lock (world.Gate)
            {
                html = List(world, page);
            }

            await HttpDownload.SendTextAsync(context, html, "text/html; charset=utf-8").ConfigureAwait(false);
        });
        app.MapGet(ListPath + "/provider/{slug}", async (string slug, HttpContext context) =>
        {
            TeqsaProvider? provider;
            lock (world.Gate)
            {
                provider = world.TeqsaProviders.Find(t => string.Equals(t.Slug, slug, StringComparison.Ordinal));
            }

            if (provider is null)
            {
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                await HttpDownload.SendTextAsync(context, "<!DOCTYPE html><html><body><h1>Page not found</h1></body></html>", "text/html; charset=utf-8").ConfigureAwait(false);
                return;
            }

            var drift = context.Features.Get<SchemaDriftFeature>() is not null;
            await HttpDownload.SendTextAsync(context, Provider(provider, drift), "text/html; charset=utf-8").ConfigureAwait(false);
        });
    }

    private static string Date(DateOnly date) => date.ToString("d MMMM yyyy", CultureInfo.InvariantCulture);

    private static string List(SimulatedWorld world, int page)
    {
        var ordered = world.TeqsaProviders.OrderBy(t => t.Name, StringComparer.Ordinal).ThenBy(t => t.ProviderId, StringComparer.Ordinal).ToList();
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>National Register | TEQSA</title></head><body><main>")
            .Append("<h1 class=\"page-title\">National Register</h1>")
            .Append("<table class=\"views-table national-register\"><thead><tr><th>Provider</th><th>Provider ID</th><th>Provider category</th><th>Registration status</th></tr></thead><tbody>");
        foreach (var t in ordered.Skip(page * PageSize).Take(PageSize))
        {
            html.Append("<tr><td class=\"provider-name\"><a href=\"").Append(ListPath).Append("/provider/").Append(HtmlEncode(t.Slug)).Append("\">").Append(HtmlEncode(t.Name)).Append("</a></td>")
                .Append("<td class=\"provider-id\">").Append(t.ProviderId).Append("</td>")
                .Append("<td class=\"provider-category\">").Append(HtmlEncode(t.Category)).Append("</td>")
                .Append("<td class=\"registration-status\">").Append(HtmlEncode(t.Status)).Append("</td></tr>");
        }

        html.Append("</tbody></table><nav class=\"pager\"><ul>");
        if (page > 0)
        {
            html.Append("<li class=\"pager__item--previous\"><a rel=\"prev\" href=\"?page=").Append(page - 1).Append("\">Previous page</a></li>");
        }

        if ((page + 1) * PageSize < ordered.Count)
        {
            html.Append("<li class=\"pager__item--next\"><a rel=\"next\" href=\"?page=").Append(page + 1).Append("\">Next page</a></li>");
        }

        return html.Append("</ul></nav></main></body></html>").ToString();
    }

    /// <summary>A provider page; drifted, the "Provider ID" label reads "TEQSA ID".</summary>
    internal static string Provider(TeqsaProvider t, bool drift)
    {
        var facts = new (string Label, string Html)[]
        {
            (drift ? "TEQSA ID" : "Provider ID", t.ProviderId),
            ("ABN", t.Abn),
            ("Trading name", HtmlEncode(t.TradingName)),
            ("Provider category", HtmlEncode(t.Category)),
            ("Self-accrediting authority", t.SelfAccrediting),
            ("Registration status", HtmlEncode(t.Status)),
            ("Registration expiry", Date(t.RegistrationExpiry)),
            ("Website", $"<a href=\"{HtmlEncode(t.Website)}\">{HtmlEncode(t.Website)}</a>"),
            ("Head office address", HtmlEncode($"{t.HeadOffice.Line1}, {t.HeadOffice.Suburb} {t.HeadOffice.State} {t.HeadOffice.Postcode}")),
        };
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>").Append(HtmlEncode(t.Name)).Append(" | TEQSA</title></head><body><main>")
            .Append("<h1 class=\"page-title\">").Append(HtmlEncode(t.Name)).Append("</h1><dl class=\"provider-details\">");
        foreach (var (label, value) in facts)
        {
            html.Append("<dt>").Append(label).Append("</dt><dd>").Append(value).Append("</dd>");
        }

        html.Append("</dl><h2>Courses</h2><table class=\"provider-courses\"><thead><tr><th>Course</th><th>Course ID</th><th>Status</th><th>Accreditation renewal date</th></tr></thead><tbody>");
        foreach (var c in t.Courses)
        {
            html.Append("<tr><td>").Append(HtmlEncode(c.Title)).Append("</td><td>").Append(c.CourseId).Append("</td><td>").Append(HtmlEncode(c.Status))
                .Append("</td><td>").Append(Date(c.RenewalDate)).Append("</td></tr>");
        }

        return html.Append("</tbody></table></main></body></html>").ToString();
    }
}
