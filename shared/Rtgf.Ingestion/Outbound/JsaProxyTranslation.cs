using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Rtgf.Ingestion.Outbound;

/// <summary>
/// <c>jsa-proxy</c> as a contract translation (ADR 0022): the outermost handler of an outbound client turns a
/// <see cref="JsaProxyQuery"/> <c>POST</c> to <see cref="Endpoint"/> into the SDMX REST request the upstream answers —
/// <c>GET rest/data/{dataflow}/{key}?startPeriod=…&amp;endPeriod=…&amp;dimensionAtObservation=…&amp;detail=…</c> with the
/// <c>Accept</c> type of the format — and names the operation after that GET, before the origin guard, retries, the circuit
/// breaker, logs and raw capture see it. A body it cannot map is a <see cref="ContractTranslationException"/> and nothing is
/// sent. Every other request passes unchanged.
/// </summary>
public sealed partial class JsaProxyTranslation : DelegatingHandler
{
    /// <summary>The proxy's endpoint, relative to the upstream's base address (the data API's root).</summary>
    public const string Endpoint = "rest/data";

    /// <summary>Each <c>format</c> the proxy accepts and the Accept type the SDMX API serves it under.</summary>
    public static readonly IReadOnlyDictionary<string, string> AcceptTypes = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        [JsaProxyQuery.JsonData] = "application/vnd.sdmx.data+json;version=1.0.0-wd",
        ["csvfile"] = "application/vnd.sdmx.data+csv;file=true",
        ["csvfilewithlabels"] = "application/vnd.sdmx.data+csv;file=true;labels=both",
        ["genericdata"] = "application/vnd.sdmx.genericdata+xml;version=2.1",
        ["structurespecificdata"] = "application/vnd.sdmx.structurespecificdata+xml;version=2.1",
    };

    private static readonly string[] Details = ["full", "dataonly", "serieskeysonly", "nodata"];

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.Method != HttpMethod.Post || request.RequestUri is not { } uri || !IsEndpoint(uri))
        {
            return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }

        var body = request.Content is null ? [] : await request.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        var (target, accept) = Translate(uri, body);
        request.Content?.Dispose();
        request.Content = null;
        request.Method = HttpMethod.Get;
        request.RequestUri = target;
        request.Headers.Accept.Clear();
        request.Headers.Accept.ParseAdd(accept);
        request.Options.Set(OutboundRequest.Operation, "GET " + target.PathAndQuery);
        return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The GET URL (under <paramref name="endpoint"/>) and Accept type for a proxy body, or a <see cref="ContractTranslationException"/>.</summary>
    public static (Uri Url, string Accept) Translate(Uri endpoint, ReadOnlySpan<byte> body)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        var fields = Fields(body);
        var dataflow = Required(fields, "dataflow", DataflowPattern(), "one to three comma-separated ids, e.g. ABS,LF,1.0.0");
        var key = Required(fields, "key", KeyPattern(), "dimension codes joined by '.' and '+', or 'all' (also for a key of only dots)");
        var format = fields.GetValueOrDefault("format") ?? JsaProxyQuery.JsonData;
        if (!AcceptTypes.TryGetValue(format, out var accept))
        {
            throw Unmappable($"'format' is '{format}'; the proxy maps {string.Join(", ", AcceptTypes.Keys)}.");
        }

        var query = new StringBuilder();
        Append(query, fields, "startPeriod", PeriodPattern(), "YYYY, YYYY-MM, YYYY-Qn or YYYY-Sn");
        Append(query, fields, "endPeriod", PeriodPattern(), "YYYY, YYYY-MM, YYYY-Qn or YYYY-Sn");
        Append(query, fields, "dimensionAtObservation", DimensionPattern(), "TIME_PERIOD, AllDimensions or a dimension id");
        if (fields.GetValueOrDefault("detail") is { } detail && !Details.Contains(detail, StringComparer.Ordinal))
        {
            throw Unmappable($"'detail' is '{detail}'; use {string.Join(", ", Details)}.");
        }

        Append(query, fields, "detail", DetailPattern(), string.Join(", ", Details));
        var path = endpoint.GetLeftPart(UriPartial.Path).TrimEnd('/') + "/" + dataflow + "/" + key;
        return (new Uri(path + (query.Length == 0 ? string.Empty : "?" + query)), accept);
    }

    private static bool IsEndpoint(Uri uri) => uri.AbsolutePath.TrimEnd('/').EndsWith("/" + Endpoint, StringComparison.Ordinal);

    private static Dictionary<string, string> Fields(ReadOnlySpan<byte> body)
    {
        string[] known = ["dataflow", "key", "startPeriod", "endPeriod", "dimensionAtObservation", "detail", "format"];
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        try
        {
            var reader = new Utf8JsonReader(body);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                throw Unmappable("the body is not a JSON object.");
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var name = reader.GetString()!;
                if (!known.Contains(name, StringComparer.Ordinal))
                {
                    throw Unmappable($"unknown member '{name}' (the contract has {string.Join(", ", known)}).");
                }

                reader.Read();
                if (reader.TokenType == JsonTokenType.Null)
                {
                    continue;
                }

                if (reader.TokenType != JsonTokenType.String)
                {
                    throw Unmappable($"'{name}' must be a string, not {reader.TokenType}.");
                }

                if (!fields.TryAdd(name, reader.GetString()!))
                {
                    throw Unmappable($"'{name}' appears twice.");
                }
            }

            return fields;
        }
        catch (JsonException e)
        {
            throw new ContractTranslationException($"jsa-proxy: the request body is not JSON ({e.Message}). Nothing was sent.", e);
        }
    }

    /// <summary>A path part: it must match <paramref name="pattern"/> and not be made only of dots, which a URL collapses as a dot segment (ADR 0022: nothing but the one GET is reachable).</summary>
    private static string Required(Dictionary<string, string> fields, string name, Regex pattern, string expected) =>
        fields.GetValueOrDefault(name) is { } value
            ? pattern.IsMatch(value) && value.Any(c => c != '.') ? value : throw Unmappable($"'{name}' is '{value}'; expected {expected}.")
            : throw Unmappable($"'{name}' is required ({expected}).");

    private static void Append(StringBuilder query, Dictionary<string, string> fields, string name, Regex pattern, string expected)
    {
        if (fields.GetValueOrDefault(name) is not { } value)
        {
            return;
        }

        if (!pattern.IsMatch(value))
        {
            throw Unmappable($"'{name}' is '{value}'; expected {expected}.");
        }

        query.Append(query.Length == 0 ? string.Empty : "&").Append(CultureInfo.InvariantCulture, $"{name}={Uri.EscapeDataString(value)}");
    }

    private static ContractTranslationException Unmappable(string reason) => new($"jsa-proxy: the request cannot be mapped to an SDMX GET: {reason} Nothing was sent.");

    [GeneratedRegex(@"^[A-Za-z0-9_@\-]+(,[A-Za-z0-9_@.\-]+){0,2}$", RegexOptions.CultureInvariant)]
    private static partial Regex DataflowPattern();

    [GeneratedRegex(@"^(all|[A-Za-z0-9_@\-+.]+)$", RegexOptions.CultureInvariant)]
    private static partial Regex KeyPattern();

    [GeneratedRegex(@"^[0-9]{4}(-(0[1-9]|1[0-2])|-Q[1-4]|-S[12])?$", RegexOptions.CultureInvariant)]
    private static partial Regex PeriodPattern();

    [GeneratedRegex(@"^(TIME_PERIOD|AllDimensions|[A-Z][A-Z0-9_]*)$", RegexOptions.CultureInvariant)]
    private static partial Regex DimensionPattern();

    [GeneratedRegex(@"^[a-z]+$", RegexOptions.CultureInvariant)]
    private static partial Regex DetailPattern();
}
