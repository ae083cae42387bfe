using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Rtgf.UpstreamSimulator.World;

namespace Rtgf.UpstreamSimulator.Enrichment;

/// <summary>
/// The enrichment upstreams over the world's RTOs: Google's Geocoding API (<c>/maps/api/geocode/json</c>, the head-office
/// address of every RTO geocodes to a deterministic point in Australia; anything else is <c>ZERO_RESULTS</c>), and our docs
/// and trust proxies (<c>/docs-proxy/v1/page</c>, <c>/trust-proxy/v1/signals</c>, docs/spec/enrichment.md) for the RTOs'
/// websites. Admin: <c>GET /_sim/geocoder</c> (counters), <c>POST /_sim/geocoder</c> <c>{requestsPerSecond, dailyQuota, dailyQuotaStatus}</c>,
/// <c>DELETE /_sim/geocoder</c> (reset counters). Faults come from the fault board like every other route.
/// </summary>
internal static class EnrichmentEndpoints
{
    public const string DocsPrefix = "/docs-proxy/";
    public const string TrustPrefix = "/trust-proxy/";

    public static void Map(WebApplication app, SimulatedWorld world, GeocoderState geocoder, string apiKey)
    {
        app.MapGet("/maps/api/geocode/json", (HttpRequest request) => Geocode(request, world, geocoder, apiKey));
        app.MapGet(DocsPrefix + "v1/page", (HttpRequest request) => Page(request, world));
        app.MapGet(TrustPrefix + "v1/signals", (HttpRequest request) => Signals(request, world));
        app.MapGet("/_sim/geocoder", () => Json(geocoder.Snapshot()));
        app.MapDelete("/_sim/geocoder", () =>
        {
            geocoder.Reset();
            return Json(geocoder.Snapshot());
        });
        app.MapPost("/_sim/geocoder", async (HttpRequest request) =>
        {
            try
            {
                var body = await System.Text.Json.JsonSerializer.DeserializeAsync<JsonObject>(request.Body).ConfigureAwait(false) ?? throw new SimulatorException("A JSON object is required.");
                geocoder.Configure(body);
                return Json(geocoder.Snapshot());
            }
            catch (Exception e) when (e is SimulatorException or System.Text.Json.JsonException or InvalidOperationException or FormatException)
            {
                return Results.Problem(title: "Bad geocoder settings", detail: e.Message, statusCode: 400);
            }
        });
    }

    /// <summary>The text a geocoder query for an address is compared by: lower case, runs of anything but letters and digits as one space.</summary>
    public static string Normalise(string text)
    {
        var builder = new StringBuilder(text.Length);
        var space = false;
        foreach (var c in text.Trim().ToLowerInvariant())
        {
            if (char.IsAsciiLetterOrDigit(c))
            {
                if (space && builder.Length > 0)
                {
                    builder.Append(' ');
                }

                builder.Append(c);
                space = false;
            }
            else
            {
                space = true;
            }
        }

        return builder.ToString();
    }

    /// <summary>The query our client sends for a world RTO's head office (line1, suburb state postcode).</summary>
    public static string QueryOf(Address address) => $"{address.Line1}, {address.Suburb} {address.State} {address.Postcode}";

    private static IResult Geocode(HttpRequest request, SimulatedWorld world, GeocoderState geocoder, string apiKey)
    {
        if (request.Query["key"] != apiKey)
        {
            return Status("REQUEST_DENIED", "The provided API key is invalid.");
        }

        var address = request.Query["address"].ToString();
        if (address.Length == 0 || request.Query["components"] is var components && components.Count > 0 && components.ToString() != "country:AU")
        {
            return Status("INVALID_REQUEST", "Invalid request. Missing the 'address', 'components', 'latlng' or 'place_id' parameter.");
        }

        var normalised = Normalise(address);
        switch (geocoder.Admit(normalised))
        {
            case GeocoderState.Admission.OverQueryLimit:
                return Status("OVER_QUERY_LIMIT", "You have exceeded your rate-limit for this API.");
            case GeocoderState.Admission.OverDailyLimit:
                return Status(geocoder.DailyQuotaStatus, "You have exceeded your daily request quota for this API.");
        }

        Rto? rto;
        lock (world.Gate)
        {
            rto = world.Rtos.FirstOrDefault(r => r.Deleted is null && Normalise(QueryOf(r.Address)) == normalised);
        }

        if (rto is null)
        {
            return Json(new JsonObject { ["results"] = new JsonArray(), ["status"] = "ZERO_RESULTS" });
        }

        var hash = Hash(normalised);
        // Deterministic points inside Australia's box: lat -43.6…-10.7, lng 113.3…153.6, to seven decimals as Google sends.
        var lat = Math.Round(-43.6m + (hash % 32_900_000) / 1_000_000m, 7);
        var lng = Math.Round(113.3m + (hash / 32_900_000 % 40_300_000) / 1_000_000m, 7);
        var a = rto.Address;
        return Json(new JsonObject
        {
            ["results"] = new JsonArray(new JsonObject
            {
                ["address_components"] = new JsonArray(),
                ["formatted_address"] = $"{a.Line1}, {a.Suburb} {a.State} {a.Postcode}, Australia",
                ["geometry"] = new JsonObject
                {
                    ["location"] = new JsonObject { ["lat"] = lat, ["lng"] = lng },
                    ["location_type"] = hash % 5 == 0 ? "RANGE_INTERPOLATED" : "ROOFTOP",
                },
                ["place_id"] = "ChIJ" + Convert.ToBase64String(BitConverter.GetBytes(hash)).TrimEnd('=').Replace('+', '-').Replace('/', '_'),
                ["types"] = new JsonArray("street_address"),
            }),
            ["status"] = "OK",
        });
    }

    private static IResult Page(HttpRequest request, SimulatedWorld world)
    {
        if (Site(request, world, out var url) is not { } rto)
        {
            return url is null
                ? Results.Problem(title: "The url parameter is required and must be an absolute http(s) URL.", statusCode: 400)
                : Results.Problem(title: "No page at this URL.", detail: "The site answered HTTP 404.", statusCode: 404);
        }

        var hash = Hash(rto.Code);
        if (hash % 11 == 0)
        {
            return Results.Problem(title: "The site did not answer.", detail: "Connection timed out.", statusCode: 502);
        }

        var site = rto.Website.TrimEnd('/');
        return Json(new JsonObject
        {
            ["url"] = url,
            ["finalUrl"] = site + "/",
            ["status"] = 200,
            ["title"] = rto.TradingName,
            ["description"] = $"{rto.TradingName} ({rto.LegalName}), RTO {rto.Code}: nationally recognised training.",
            ["lastModified"] = world.Clock.AddDays(-(double)(hash % 400)).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
            ["contentType"] = "text/html",
            ["contentHash"] = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(rto.Code + "|" + rto.Updated.ToString("O", CultureInfo.InvariantCulture)))),
            ["documents"] = new JsonArray(
                new JsonObject { ["url"] = site + "/docs/student-handbook.pdf", ["title"] = "Student handbook", ["type"] = "pdf" },
                new JsonObject { ["url"] = site + "/policies/complaints-and-appeals.pdf", ["title"] = "Complaints and appeals policy", ["type"] = "pdf" }),
        });
    }

    private static IResult Signals(HttpRequest request, SimulatedWorld world)
    {
        if (Site(request, world, out var url) is not { } rto)
        {
            return url is null
                ? Results.Problem(title: "The url parameter is required and must be an absolute http(s) URL.", statusCode: 400)
                : Results.Problem(title: "No site at this URL.", statusCode: 404);
        }

        var hash = Hash("trust|" + rto.Code);
        return Json(new JsonObject
        {
            ["url"] = url,
            ["host"] = new Uri(rto.Website).Host,
            ["https"] = true,
            ["hsts"] = hash % 2 == 0,
            ["certificateExpiresAt"] = world.Clock.AddDays(10 + (double)(hash % 300)).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
            ["securityTxt"] = hash % 5 == 0,
            ["abnOnPage"] = hash % 3 == 0 ? null : rto.Abn,
        });
    }

    /// <summary>The RTO whose website the <c>url</c> parameter names (null: none, or no usable url, then <paramref name="url"/> is null too).</summary>
    private static Rto? Site(HttpRequest request, SimulatedWorld world, out string? url)
    {
        url = request.Query["url"].ToString();
        if (!Uri.TryCreate(url, UriKind.Absolute, out var asked) || asked.Scheme is not ("http" or "https"))
        {
            url = null;
            return null;
        }

        var site = asked.GetLeftPart(UriPartial.Authority);
        lock (world.Gate)
        {
            return world.Rtos.FirstOrDefault(r => r.Deleted is null && string.Equals(r.Website.TrimEnd('/'), site, StringComparison.OrdinalIgnoreCase));
        }
    }

    private static ulong Hash(string text) => BitConverter.ToUInt64(SHA256.HashData(Encoding.UTF8.GetBytes(text)), 0);

    private static IResult Status(string status, string message) =>
        Json(new JsonObject { ["error_message"] = message, ["results"] = new JsonArray(), ["status"] = status });

    private static IResult Json(JsonNode node) => Results.Text(node.ToJsonString(), "application/json");
}
