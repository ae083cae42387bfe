using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Rtgf.Functions.Tests.Endpoints;

/// <summary>Small helpers for reading answers.</summary>
internal static class ApiJson
{
    public static async Task<JsonObject> ReadObjectAsync(this HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<JsonObject>())!;

    public static StringContent Json(string body) => new(body, System.Text.Encoding.UTF8, "application/json");
}
