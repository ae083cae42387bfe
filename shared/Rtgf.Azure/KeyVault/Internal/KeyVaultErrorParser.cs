using System.Text.Json;
using Azure;
using Azure.Core;

namespace Rtgf.Azure.KeyVault.Internal;

/// <summary>
/// Reads Key Vault's error body <c>{"error":{"code","message","innererror":{"code"}}}</c> into the exception's
/// <see cref="RequestFailedException.ErrorCode"/>, message and data (<c>innererror</c>).
/// </summary>
internal sealed class KeyVaultErrorParser : RequestFailedDetailsParser
{
    public static readonly KeyVaultErrorParser Instance = new();

    private const int MaxBodyToParse = 64 * 1024;

    public override bool TryParse(Response response, out ResponseError? error, out IDictionary<string, string>? data)
    {
        error = null;
        data = null;
        var body = response.Content;
        if (body is null || body.ToMemory().Length is 0 or > MaxBodyToParse)
        {
            return false;
        }

        try
        {
            using var document = JsonDocument.Parse(body.ToMemory());
            if (document.RootElement.ValueKind != JsonValueKind.Object
                || !document.RootElement.TryGetProperty("error", out var element)
                || element.ValueKind != JsonValueKind.Object)
            {
                return false;
            }

            var code = String(element, "code");
            var message = String(element, "message");
            if (element.TryGetProperty("innererror", out var inner) && inner.ValueKind == JsonValueKind.Object && String(inner, "code") is { } innerCode)
            {
                data = new Dictionary<string, string>(StringComparer.Ordinal) { ["innererror"] = innerCode };
            }

            error = new ResponseError(code, message);
            return true;
        }
        catch (JsonException)
        {
            // Not Key Vault's JSON: the status still describes the failure.
            return false;
        }
    }

    private static string? String(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
