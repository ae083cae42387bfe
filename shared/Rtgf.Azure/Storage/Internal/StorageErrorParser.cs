using System.Text.Json;
using System.Xml;
using System.Xml.Linq;
using Azure;
using Azure.Core;

namespace Rtgf.Azure.Storage.Internal;

/// <summary>
/// Reads the service error code and message from a failed response: the <c>x-ms-error-code</c> header,
/// the Blob/Queue XML body (<c>&lt;Error&gt;&lt;Code&gt;</c>) or the Table OData JSON body (<c>odata.error</c>).
/// </summary>
internal sealed class StorageErrorParser : RequestFailedDetailsParser
{
    public static readonly StorageErrorParser Instance = new();

    private const int MaxBodyToParse = 64 * 1024;

    public override bool TryParse(Response response, out ResponseError? error, out IDictionary<string, string>? data)
    {
        data = null;
        response.Headers.TryGetValue("x-ms-error-code", out var code);
        string? message = null;

        var body = response.Content;
        if (body is not null && body.ToMemory().Length is > 0 and <= MaxBodyToParse)
        {
            var (bodyCode, bodyMessage) = ParseBody(body);
            code ??= bodyCode;
            message = bodyMessage;
        }

        error = code is null && message is null ? null : new ResponseError(code, message);
        return error is not null;
    }

    /// <summary>Parses an error body; returns nulls when it is neither storage XML nor OData JSON.</summary>
    public static (string? Code, string? Message) ParseBody(BinaryData body)
    {
        var span = body.ToMemory().Span.TrimStart(" \t\r\n\uFEFF"u8);
        if (span.IsEmpty)
        {
            return (null, null);
        }

        try
        {
            if (span[0] == (byte)'<')
            {
                var root = XDocument.Parse(body.ToString()).Root;
                return (root?.Element("Code")?.Value, root?.Element("Message")?.Value);
            }

            if (span[0] == (byte)'{')
            {
                using var document = JsonDocument.Parse(body.ToMemory());
                var rootElement = document.RootElement;
                if (rootElement.TryGetProperty("odata.error", out var odata))
                {
                    var odataCode = odata.TryGetProperty("code", out var c) ? c.GetString() : null;
                    string? odataMessage = null;
                    if (odata.TryGetProperty("message", out var m))
                    {
                        odataMessage = m.ValueKind == JsonValueKind.Object && m.TryGetProperty("value", out var v) ? v.GetString() : m.ToString();
                    }

                    return (odataCode, odataMessage);
                }

                if (rootElement.TryGetProperty("error", out var plain) && plain.ValueKind == JsonValueKind.Object)
                {
                    return (
                        plain.TryGetProperty("code", out var c) ? c.GetString() : null,
                        plain.TryGetProperty("message", out var m) ? m.ToString() : null);
                }
            }
        }
        catch (Exception e) when (e is JsonException or XmlException or InvalidOperationException)
        {
            // Not a body we understand: the status and header still describe the failure.
        }

        return (null, null);
    }
}
