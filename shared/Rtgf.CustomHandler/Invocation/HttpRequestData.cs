using System.Text.Json;

namespace Rtgf.CustomHandler.Invocation;

/// <summary>
/// An HTTP request delivered inside an envelope (functions with outputs besides the HTTP response are
/// not forwarded): <c>{Url, Method, Query, Headers, Params, Body}</c>.
/// </summary>
public sealed record HttpRequestData(
    Uri Url,
    string Method,
    IReadOnlyDictionary<string, string> Query,
    IReadOnlyDictionary<string, IReadOnlyList<string>> Headers,
    IReadOnlyDictionary<string, string> Params,
    string? Body)
{
    public static HttpRequestData From(BindingValue value)
    {
        var request = value.Decoded;
        if (request.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidInvocationException($"HTTP trigger data must be an object, not {request.ValueKind}.");
        }

        var url = Text(request, "Url") ?? throw new InvalidInvocationException("HTTP trigger data has no Url.");
        return new HttpRequestData(
            Uri.TryCreate(url, UriKind.Absolute, out var uri) ? uri : throw new InvalidInvocationException($"HTTP trigger Url '{url}' is not absolute."),
            Text(request, "Method") ?? "GET",
            Strings(request, "Query"),
            ReadHeaders(request),
            Strings(request, "Params"),
            Text(request, "Body"));
    }

    private static string? Text(JsonElement request, string name) =>
        request.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static Dictionary<string, string> Strings(JsonElement request, string name)
    {
        var result = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (request.TryGetProperty(name, out var values) && values.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in values.EnumerateObject())
            {
                result[property.Name] = new BindingValue(property.Value).AsText() ?? string.Empty;
            }
        }

        return result;
    }

    private static Dictionary<string, IReadOnlyList<string>> ReadHeaders(JsonElement request)
    {
        var result = new Dictionary<string, IReadOnlyList<string>>(StringComparer.OrdinalIgnoreCase);
        if (request.TryGetProperty("Headers", out var headers) && headers.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in headers.EnumerateObject())
            {
                result[property.Name] = property.Value.ValueKind == JsonValueKind.Array
                    ? [.. property.Value.EnumerateArray().Select(v => v.GetString() ?? string.Empty)]
                    : [new BindingValue(property.Value).AsText() ?? string.Empty];
            }
        }

        return result;
    }
}
