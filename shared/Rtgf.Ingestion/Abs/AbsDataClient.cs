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
        return records.Count > 0 ? records : throw new UpstreamFormatException($"ABS {selection} from {startPeriod}: the message holds no series.");
    }

    /// <summary>The proxy query for a selection: SDMX-JSON with observations by period, from <paramref name="startPeriod"/>.</summary>
    public static JsaProxyQuery Query(AbsSeriesSelection selection, string startPeriod)
    {
        ArgumentNullException.ThrowIfNull(selection);
        return new JsaProxyQuery(selection.Dataflow, selection.Key, StartPeriod: startPeriod, DimensionAtObservation: SdmxJsonParser.TimeDimension);
    }

    private static string Clip(string text) => text.Length <= 200 ? text : text[..200] + "…";
}
