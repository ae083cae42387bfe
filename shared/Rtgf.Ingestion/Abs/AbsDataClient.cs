using System.Net;
using Rtgf.Ingestion.Outbound;
using Rtgf.Ingestion.Records;

namespace Rtgf.Ingestion.Abs;

/// <summary>
/// Reads series from the ABS Data API in the <c>jsa-proxy</c> contract (a <see cref="JsaProxyQuery"/> POST that the client's
/// <see cref="JsaProxyTranslation"/> turns into the SDMX GET, ADR 0022) and parses the SDMX-JSON whole. An empty selection
/// (404 NoRecordsFound) and a refused Accept type (406) are <see cref="UpstreamFormatException"/>s: the configured query no
/// longer matches the upstream, and a source must never publish without its series.
/// </summary>
public sealed class AbsDataClient(HttpClient http)
{
    public async Task<IReadOnlyList<LabourSeriesRecord>> GetSeriesAsync(AbsSeriesSelection selection, string startPeriod, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(selection);
        using var request = Query(selection, startPeriod).ToRequest();
        using var response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.NotAcceptable)
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            var reason = response.StatusCode == HttpStatusCode.NotFound
                ? "no records (the key or startPeriod selects nothing)"
                : "the Accept type was refused";
            throw new UpstreamFormatException($"ABS {selection} from {startPeriod}: HTTP {(int)response.StatusCode}, {reason}: {Clip(text)}");
        }

        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        var records = SdmxJsonParser.Parse(body, selection.Dataflow);
        if (records.Count == 0)
        {
            throw new UpstreamFormatException($"ABS {selection} from {startPeriod}: the message holds no series.");
        }

        // SDMX answers a '+'-list key with only the combinations that hold data: a withdrawn series would silently shrink
        // the snapshot, so a key without wildcards must come back whole.
        if (ExpectedSeries(selection.Key) is { } expected)
        {
            var missing = expected.Except(records.Select(r => r.SeriesKey), StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
            if (missing.Count > 0)
            {
                throw new UpstreamFormatException($"ABS {selection} from {startPeriod}: {missing.Count} of the {expected.Count} requested series are missing: {string.Join(", ", missing.Take(20))}{(missing.Count > 20 ? ", …" : string.Empty)}.");
            }
        }

        return records;
    }

    /// <summary>
    /// Every series key a data key selects (each <c>+</c> list expanded into the product of its codes), or null when the key
    /// has a wildcard (<c>all</c> or an empty part) and so names no fixed set.
    /// </summary>
    public static IReadOnlyList<string>? ExpectedSeries(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var parts = key.Split('.');
        if (key == "all" || parts.Any(p => p.Length == 0 || p.Split('+').Any(c => c.Length == 0)))
        {
            return null;
        }

        IEnumerable<string> keys = [string.Empty];
        foreach (var codes in parts.Select(p => p.Split('+').Distinct(StringComparer.Ordinal).ToList()))
        {
            keys = keys.SelectMany(prefix => codes.Select(code => prefix.Length == 0 ? code : prefix + "." + code)).ToList();
        }

        return [.. keys];
    }

    /// <summary>The proxy query for a selection: SDMX-JSON with observations by period, from <paramref name="startPeriod"/>.</summary>
    public static JsaProxyQuery Query(AbsSeriesSelection selection, string startPeriod)
    {
        ArgumentNullException.ThrowIfNull(selection);
        return new JsaProxyQuery(selection.Dataflow, selection.Key, StartPeriod: startPeriod, DimensionAtObservation: SdmxJsonParser.TimeDimension);
    }

    private static string Clip(string text) => text.Length <= 200 ? text : text[..200] + "…";
}
