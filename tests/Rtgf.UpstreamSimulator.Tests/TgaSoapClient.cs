using System.Net.Http.Headers;
using System.Text;
using System.Xml.Linq;

namespace Rtgf.UpstreamSimulator.Tests;

/// <summary>A hand-built SOAP client, as the ingest workers talk to TGA: envelope, WS-Security header, SOAPAction.</summary>
internal sealed class TgaSoapClient(HttpClient http, string path = "Deewr.Tga.WebServices/TrainingComponentService.svc/Training", bool soap12 = false)
{
    public static readonly XNamespace T = "http://training.gov.au/services/";
    public static readonly XNamespace Sys = "http://schemas.datacontract.org/2004/07/System";
    public static readonly XNamespace Arr = "http://schemas.microsoft.com/2003/10/Serialization/Arrays";
    public static readonly XNamespace I = "http://www.w3.org/2001/XMLSchema-instance";
    public static readonly XNamespace S11 = "http://schemas.xmlsoap.org/soap/envelope/";
    public static readonly XNamespace S12 = "http://www.w3.org/2003/05/soap-envelope";
    private static readonly XNamespace Wsse = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd";
    private static readonly XNamespace Wsa = "http://www.w3.org/2005/08/addressing";

    public string? Username { get; init; } = "sim-user";

    public string? Password { get; init; } = "sim-password";

    public XNamespace Envelope => soap12 ? S12 : S11;

    public static XElement Offset(string name, DateTimeOffset value) =>
        new(T + name, new XElement(Sys + "DateTime", value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture)), new XElement(Sys + "OffsetMinutes", "0"));

    public static DateTimeOffset ReadOffset(XElement element) =>
        DateTimeOffset.Parse(element.Element(Sys + "DateTime")!.Value, System.Globalization.CultureInfo.InvariantCulture);

    public async Task<(int Status, XDocument Document)> CallAsync(string contract, string operation, params object[] request)
    {
        var body = new XElement(T + operation, request.Length == 0 ? null : new XElement(T + "request", request));
        return await SendAsync($"http://training.gov.au/services/{contract}/{operation}", body);
    }

    public async Task<(int Status, XDocument Document)> SendAsync(string? action, XElement body)
    {
        var security = Username is null
            ? null
            : new XElement(Wsse + "Security", new XElement(
                Wsse + "UsernameToken",
                new XElement(Wsse + "Username", Username),
                new XElement(Wsse + "Password", new XAttribute("Type", "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0#PasswordText"), Password)));
        var envelope = new XElement(
            Envelope + "Envelope",
            new XElement(Envelope + "Header", security, soap12 && action is not null ? new XElement(Wsa + "Action", action) : null),
            new XElement(Envelope + "Body", body));
        return await SendRawAsync(action, envelope.ToString(SaveOptions.DisableFormatting));
    }

    public async Task<(int Status, XDocument Document)> SendRawAsync(string? action, string text)
    {
        using var content = new StringContent(text, Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue(soap12 ? "application/soap+xml" : "text/xml") { CharSet = "utf-8" };
        using var message = new HttpRequestMessage(HttpMethod.Post, path) { Content = content };
        if (!soap12 && action is not null)
        {
            message.Headers.Add("SOAPAction", "\"" + action + "\"");
        }

        using var response = await http.SendAsync(message);
        return ((int)response.StatusCode, XDocument.Parse(await response.Content.ReadAsStringAsync()));
    }

    /// <summary>The first element of the SOAP body (the operation response, or the Fault).</summary>
    public XElement Payload(XDocument document) => document.Root!.Element(Envelope + "Body")!.Elements().Single();
}
