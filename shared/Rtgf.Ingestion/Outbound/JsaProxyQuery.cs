using System.Net.Http.Headers;
using System.Text.Json;

namespace Rtgf.Ingestion.Outbound;

/// <summary>
/// The <c>jsa-proxy</c> contract: a <c>POST</c> to <see cref="JsaProxyTranslation.Endpoint"/> whose JSON body names one SDMX
/// data query — <c>dataflow</c> (<c>ABS,LF,1.0.0</c>), <c>key</c> (<c>M13.3.1599.20.1+2.M</c>, <c>all</c>), optional
/// <c>startPeriod</c>, <c>endPeriod</c>, <c>dimensionAtObservation</c>, <c>detail</c>, and <c>format</c> (default
/// <c>jsondata</c>). <see cref="JsaProxyTranslation"/> turns it into the upstream's GET (ADR 0022).
/// </summary>
public sealed record JsaProxyQuery(
    string Dataflow,
    string Key,
    string? StartPeriod = null,
    string? EndPeriod = null,
    string? DimensionAtObservation = null,
    string? Detail = null,
    string Format = JsaProxyQuery.JsonData)
{
    public const string JsonData = "jsondata";

    /// <summary>A <c>POST</c> of this query in the proxy's contract (relative to the client's base address).</summary>
    public HttpRequestMessage ToRequest()
    {
        var content = new ByteArrayContent(ToJson());
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return new HttpRequestMessage(HttpMethod.Post, JsaProxyTranslation.Endpoint) { Content = content };
    }

    /// <summary>The request body.</summary>
    public byte[] ToJson()
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("dataflow", Dataflow);
            json.WriteString("key", Key);
            WriteOptional(json, "startPeriod", StartPeriod);
            WriteOptional(json, "endPeriod", EndPeriod);
            WriteOptional(json, "dimensionAtObservation", DimensionAtObservation);
            WriteOptional(json, "detail", Detail);
            json.WriteString("format", Format);
            json.WriteEndObject();
        }

        return buffer.ToArray();
    }

    private static void WriteOptional(Utf8JsonWriter json, string name, string? value)
    {
        if (value is not null)
        {
            json.WriteString(name, value);
        }
    }
}
