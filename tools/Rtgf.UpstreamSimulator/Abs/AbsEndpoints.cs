using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Rtgf.UpstreamSimulator.Faults;
using Rtgf.UpstreamSimulator.Formats;
using Rtgf.UpstreamSimulator.World;

namespace Rtgf.UpstreamSimulator.Abs;

/// <summary>
/// The ABS Data API's data route (SDMX REST 2.1): <c>GET /rest/data/{flowRef}/{key}</c> for the labour force (<c>LF</c>) and
/// population (<c>ERP_Q</c>) flows, in SDMX-JSON 1.0 only (Accept <see cref="JsonMediaType"/> or <c>format=jsondata</c>; any
/// other type is 406 with the accepted ones listed), <c>startPeriod</c>/<c>endPeriod</c>, <c>+</c>-joined and empty (wildcard)
/// key parts, 404 <c>NoRecordsFound</c> for an empty selection; a withdrawn series is left out, as SDMX leaves out combinations
/// without data. GET only: any other method is 405 (what the <c>jsa-proxy</c>
/// contract translation exists for). Drifted (schema-drift fault), the time dimension is called <c>TIME</c>.
/// </summary>
internal static class AbsEndpoints
{
    public const string DataPath = "/rest/data";
    public const string JsonMediaType = "application/vnd.sdmx.data+json";
    public const string JsonVersion = "1.0.0-wd";

    /// <summary>The media types this simulator serves (the real API also serves SDMX-ML and SDMX-CSV).</summary>
    public static readonly string[] Accepted = [JsonMediaType + ";version=1.0.0-wd", JsonMediaType + ";version=1.0.0", JsonMediaType];

    public static void Map(WebApplication app, SimulatedWorld world)
    {
        app.MapGet(DataPath + "/{flowRef}/{key}", (string flowRef, string key, HttpContext context) => ServeAsync(world, context, flowRef, key));
        app.MapGet(DataPath + "/{flowRef}", (string flowRef, HttpContext context) => ServeAsync(world, context, flowRef, "all"));
        string[] others = ["POST", "PUT", "PATCH", "DELETE"];
        foreach (var pattern in new[] { DataPath, DataPath + "/{flowRef}", DataPath + "/{flowRef}/{key}" })
        {
            app.MapMethods(pattern, others, (HttpContext context) =>
            {
                context.Response.Headers.Allow = "GET";
                return Results.Text("Method Not Allowed: the data API answers GET only.", "text/plain", statusCode: StatusCodes.Status405MethodNotAllowed);
            });
        }
    }

    private static async Task ServeAsync(SimulatedWorld world, HttpContext context, string flowRef, string key)
    {
        var query = context.Request.Query;
        if (!AcceptsJson(context.Request))
        {
            context.Response.StatusCode = StatusCodes.Status406NotAcceptable;
            await HttpDownload.SendTextAsync(context, "Not Acceptable. Supported media types: " + string.Join(", ", Accepted), "text/plain; charset=utf-8").ConfigureAwait(false);
            return;
        }

        if (query["dimensionAtObservation"].ToString() is { Length: > 0 } atObservation && atObservation != "TIME_PERIOD")
        {
            await ErrorAsync(context, StatusCodes.Status400BadRequest, $"Semantic Error: this simulator serves dimensionAtObservation=TIME_PERIOD only, not '{atObservation}'.").ConfigureAwait(false);
            return;
        }

        if (AbsDataflow.Find(flowRef) is not { } flow)
        {
            await ErrorAsync(context, StatusCodes.Status404NotFound, "NoRecordsFound: no dataflow " + flowRef).ConfigureAwait(false);
            return;
        }

        if (!TryBound(query["startPeriod"], end: false, out var from) || !TryBound(query["endPeriod"], end: true, out var to))
        {
            await ErrorAsync(context, StatusCodes.Status400BadRequest, "Semantic Error: startPeriod and endPeriod are YYYY, YYYY-MM, YYYY-Qn or YYYY-Sn.").ConfigureAwait(false);
            return;
        }

        var selection = Select(flow, key);
        if (selection is null)
        {
            await ErrorAsync(context, StatusCodes.Status400BadRequest, $"Semantic Error: the key '{key}' needs {flow.Dimensions.Count} parts ({string.Join('.', flow.Dimensions.Select(d => d.Id))}).").ConfigureAwait(false);
            return;
        }

        byte[]? body;
        lock (world.Gate)
        {
            body = Write(world, flow, selection, from, to, drift: context.Features.Get<SchemaDriftFeature>() is not null);
        }

        if (body is null)
        {
            await ErrorAsync(context, StatusCodes.Status404NotFound, "NoRecordsFound").ConfigureAwait(false);
            return;
        }

        context.Response.ContentType = JsonMediaType + "; charset=utf-8; version=" + JsonVersion;
        context.Response.ContentLength = body.Length;
        await context.Response.Body.WriteAsync(body, context.RequestAborted).ConfigureAwait(false);
    }

    private static bool AcceptsJson(HttpRequest request)
    {
        if (request.Query["format"].ToString() is { Length: > 0 } format)
        {
            return format == "jsondata";
        }

        foreach (var range in request.Headers.Accept.ToString().Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = range.Split(';', StringSplitOptions.TrimEntries);
            var version = parts.Skip(1).Select(p => p.Split('=', 2)).FirstOrDefault(p => p.Length == 2 && p[0] == "version")?[1];
            if (string.Equals(parts[0], JsonMediaType, StringComparison.OrdinalIgnoreCase) && version is null or "1.0.0-wd" or "1.0.0")
            {
                return true;
            }
        }

        return false;
    }

    private static Task ErrorAsync(HttpContext context, int status, string text)
    {
        context.Response.StatusCode = status;
        return HttpDownload.SendTextAsync(context, text, "text/plain; charset=utf-8");
    }

    /// <summary>The selected codes per dimension (codelist order; wildcard = all); null when the key has the wrong part count.</summary>
    private static List<List<AbsCode>>? Select(AbsDataflow flow, string key)
    {
        if (key == "all")
        {
            return [.. flow.Dimensions.Select(d => d.Codes.ToList())];
        }

        var parts = key.Split('.');
        if (parts.Length != flow.Dimensions.Count)
        {
            return null;
        }

        return [.. flow.Dimensions.Select((d, i) => parts[i].Length == 0 ? [.. d.Codes] : d.Codes.Where(c => parts[i].Split('+').Contains(c.Id)).ToList())];
    }

    /// <summary>A period bound: the first day of a start period, or the last day of an end period; absent = open.</summary>
    private static bool TryBound(string? text, bool end, out DateOnly? bound)
    {
        bound = null;
        if (string.IsNullOrEmpty(text))
        {
            return true;
        }

        int Int(string s) => int.Parse(s, NumberStyles.None, CultureInfo.InvariantCulture);
        DateOnly first;
        int months;
        if (text.Length == 4 && text.All(char.IsAsciiDigit))
        {
            (first, months) = (new DateOnly(Int(text), 1, 1), 12);
        }
        else if (text.Length == 7 && text[4] == '-' && text[..4].All(char.IsAsciiDigit) && text[5..].All(char.IsAsciiDigit) && Int(text[5..]) is >= 1 and <= 12)
        {
            (first, months) = (new DateOnly(Int(text[..4]), Int(text[5..]), 1), 1);
        }
        else if (text.Length == 7 && text[..4].All(char.IsAsciiDigit) && text[4..6] is "-Q" or "-S" && text[6] is >= '1' and <= '4' && (text[5] == 'Q' || text[6] <= '2'))
        {
            var size = text[5] == 'Q' ? 3 : 6;
            (first, months) = (new DateOnly(Int(text[..4]), ((text[6] - '1') * size) + 1, 1), size);
        }
        else
        {
            return false;
        }

        bound = end ? first.AddMonths(months).AddDays(-1) : first;
        return true;
    }

    /// <summary>The SDMX-JSON message, or null when the selection holds no observation.</summary>
    private static byte[]? Write(SimulatedWorld world, AbsDataflow flow, List<List<AbsCode>> selection, DateOnly? from, DateOnly? to, bool drift)
    {
        var book = world.Abs;
        var all = book.Periods(flow);
        var window = Enumerable.Range(0, all.Count).Where(i => (from is null || all[i] >= from) && (to is null || all[i] <= to)).ToList();
        if (window.Count == 0 || selection.Any(s => s.Count == 0))
        {
            return null;
        }

        var units = new List<AbsCode>();
        var multipliers = new List<AbsCode>();
        foreach (var measure in selection[0])
        {
            var (unit, multiplier) = AbsDataflow.UnitOf(measure.Id);
            if (!units.Contains(unit))
            {
                units.Add(unit);
            }

            if (!multipliers.Contains(multiplier))
            {
                multipliers.Add(multiplier);
            }
        }

        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteStartObject("meta");
            json.WriteString("schema", "https://raw.githubusercontent.com/sdmx-twg/sdmx-json/master/data-message/tools/schemas/1.0/sdmx-json-data-schema.json");
            json.WriteString("id", "IREF" + book.Revision.ToString("D6", CultureInfo.InvariantCulture));
            json.WriteString("prepared", world.Clock.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
            json.WriteBoolean("test", false);
            json.WriteStartObject("sender");
            json.WriteString("id", AbsDataflow.Agency);
            json.WriteString("name", "Australian Bureau of Statistics");
            json.WriteEndObject();
            json.WriteEndObject();

            json.WriteStartObject("data");
            json.WriteStartArray("dataSets");
            json.WriteStartObject();
            json.WriteString("action", "Information");
            json.WriteStartObject("series");
            var indexes = new int[selection.Count];
            var codes = new string[selection.Count];
            WriteSeries(json, book, flow, selection, window, all, units, multipliers, indexes, codes, 0);
            json.WriteEndObject();
            json.WriteEndObject();
            json.WriteEndArray();

            json.WriteStartObject("structure");
            json.WriteString("name", flow.Name);
            json.WriteStartObject("dimensions");
            json.WriteStartArray("dataSet");
            json.WriteEndArray();
            json.WriteStartArray("series");
            for (var d = 0; d < flow.Dimensions.Count; d++)
            {
                WriteComponent(json, flow.Dimensions[d].Id, flow.Dimensions[d].Name, d, selection[d]);
            }

            json.WriteEndArray();
            json.WriteStartArray("observation");
            json.WriteStartObject();
            json.WriteString("id", drift ? "TIME" : "TIME_PERIOD");
            json.WriteString("name", "Time Period");
            json.WriteNumber("keyPosition", flow.Dimensions.Count);
            if (!drift)
            {
                json.WriteString("role", "TIME_PERIOD");
            }

            json.WriteStartArray("values");
            foreach (var i in window)
            {
                json.WriteStartObject();
                json.WriteString("id", AbsSeriesBook.PeriodId(flow, all[i]));
                json.WriteString("name", AbsSeriesBook.PeriodId(flow, all[i]));
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
            json.WriteEndArray();
            json.WriteEndObject();

            json.WriteStartObject("attributes");
            json.WriteStartArray("dataSet");
            json.WriteEndArray();
            json.WriteStartArray("series");
            WriteComponent(json, "UNIT_MEASURE", "Unit of Measure", null, units);
            WriteComponent(json, "UNIT_MULT", "Unit of Multiplier", null, multipliers);
            json.WriteEndArray();
            json.WriteStartArray("observation");
            WriteComponent(json, "OBS_STATUS", "Observation Status", null, [new AbsCode("r", "Revised")]);
            json.WriteEndArray();
            json.WriteEndObject();
            json.WriteEndObject();
            json.WriteEndObject();
            json.WriteEndObject();
        }

        return buffer.ToArray();
    }

    /// <summary>Every series of the selection, in key order (the last dimension varies fastest).</summary>
    private static void WriteSeries(
        Utf8JsonWriter json, AbsSeriesBook book, AbsDataflow flow, List<List<AbsCode>> selection, List<int> window, IReadOnlyList<DateOnly> all,
        List<AbsCode> units, List<AbsCode> multipliers, int[] indexes, string[] codes, int dimension)
    {
        if (dimension == selection.Count)
        {
            if (book.IsWithdrawn(flow, codes))
            {
                return;
            }

            json.WriteStartObject(string.Join(':', indexes));
            var (unit, multiplier) = AbsDataflow.UnitOf(codes[0]);
            json.WriteStartArray("attributes");
            json.WriteNumberValue(units.IndexOf(unit));
            json.WriteNumberValue(multipliers.IndexOf(multiplier));
            json.WriteEndArray();
            json.WriteStartObject("observations");
            for (var t = 0; t < window.Count; t++)
            {
                var (value, status) = book.Observation(flow, codes, window[t], AbsSeriesBook.PeriodId(flow, all[window[t]]));
                json.WriteStartArray(t.ToString(CultureInfo.InvariantCulture));
                json.WriteNumberValue(value);
                if (status is null)
                {
                    json.WriteNullValue();
                }
                else
                {
                    json.WriteNumberValue(0);
                }

                json.WriteEndArray();
            }

            json.WriteEndObject();
            json.WriteEndObject();
            return;
        }

        for (var i = 0; i < selection[dimension].Count; i++)
        {
            indexes[dimension] = i;
            codes[dimension] = selection[dimension][i].Id;
            WriteSeries(json, book, flow, selection, window, all, units, multipliers, indexes, codes, dimension + 1);
        }
    }

    private static void WriteComponent(Utf8JsonWriter json, string id, string name, int? keyPosition, IEnumerable<AbsCode> values)
    {
        json.WriteStartObject();
        json.WriteString("id", id);
        json.WriteString("name", name);
        if (keyPosition is { } position)
        {
            json.WriteNumber("keyPosition", position);
        }

        json.WriteStartArray("values");
        foreach (var value in values)
        {
            json.WriteStartObject();
            json.WriteString("id", value.Id);
            json.WriteString("name", value.Name);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }
}
