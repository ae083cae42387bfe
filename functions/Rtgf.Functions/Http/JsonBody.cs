using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Net.Http.Headers;

namespace Rtgf.Functions.Http;

/// <summary>
/// Reads a JSON request body under a size cap, so every bad body is a 4xx Problem: wrong or missing content type (415),
/// too large (413), not JSON or not an object (400). The document is the caller's to dispose.
/// </summary>
internal static class JsonBody
{
    public static async Task<(JsonDocument? Document, ProblemHttpResult? Problem)> ReadObjectAsync(HttpRequest request, int maxBytes, CancellationToken cancellationToken)
    {
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var mediaType) ||
            !(mediaType.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase) ||
              mediaType.Suffix.Equals("json", StringComparison.OrdinalIgnoreCase)))
        {
            return (null, ApiProblem.UnsupportedMediaType($"Send the body as application/json, not '{request.ContentType ?? "(none)"}'."));
        }

        if (request.ContentLength > maxBytes)
        {
            return (null, ApiProblem.PayloadTooLarge($"The body is {request.ContentLength} bytes; this route accepts at most {maxBytes}."));
        }

        byte[]? body;
        try
        {
            body = await RequestBody.ReadCappedAsync(request.Body, maxBytes, cancellationToken).ConfigureAwait(false);
        }
        catch (BadHttpRequestException ex)
        {
            return (null, ex.StatusCode == StatusCodes.Status413PayloadTooLarge
                ? ApiProblem.PayloadTooLarge(ex.Message)
                : ApiProblem.InvalidRequest("The request body could not be read: " + ex.Message));
        }

        if (body is null)
        {
            return (null, ApiProblem.PayloadTooLarge($"The body is larger than {maxBytes} bytes, the most this route accepts."));
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = 16, AllowDuplicateProperties = false });
        }
        catch (JsonException ex)
        {
            return (null, ApiProblem.InvalidJson("The body is not valid JSON: " + ex.Message));
        }

        if (document.RootElement.ValueKind != JsonValueKind.Object)
        {
            document.Dispose();
            return (null, ApiProblem.InvalidJson("The body must be a JSON object."));
        }

        return (document, null);
    }

    /// <summary>A string member, or null when absent; a member of another type is an error.</summary>
    public static bool TryGetOptionalString(JsonElement body, string name, out string? value, out string error)
    {
        value = null;
        error = string.Empty;
        if (!body.TryGetProperty(name, out var member) || member.ValueKind == JsonValueKind.Null)
        {
            return true;
        }

        if (member.ValueKind != JsonValueKind.String)
        {
            error = $"The member '{name}' must be a string.";
            return false;
        }

        value = member.GetString();
        return true;
    }

}
