using System.Buffers.Text;
using System.Net;
using System.Text.Json.Nodes;

namespace Rtgf.Functions.Tests.Endpoints;

/// <summary>Reading /v1 answers: one document, every page of a listing, a token's facts through <c>GET /tokens/{id}</c>.</summary>
internal static class PublicApiCalls
{
    public static async Task<JsonObject> GetObjectAsync(this HttpClient client, string path)
    {
        using var response = await client.GetAsync(path);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path} answered {(int)response.StatusCode}: {text}");
        return JsonNode.Parse(text)!.AsObject();
    }

    /// <summary>Follows <c>next</c> to the end; returns every item and the build id of every page.</summary>
    public static async Task<(List<JsonObject> Items, List<string> Builds)> PageAllAsync(this HttpClient client, string path)
    {
        var items = new List<JsonObject>();
        var builds = new List<string>();
        for (string? next = path; next is not null;)
        {
            var page = await client.GetObjectAsync(next);
            items.AddRange(page["items"]!.AsArray().Select(i => i!.AsObject()));
            builds.Add((string)page["buildId"]!);
            next = (string?)page["next"];
            Assert.True(builds.Count < 1000, "paging does not end");
        }

        return (items, builds);
    }

    /// <summary>The <c>facts</c> of the token a record's <c>token.uri</c> names, fetched from the registry API.</summary>
    public static async Task<(JsonObject Token, JsonObject Facts)> TokenFactsAsync(this HttpClient client, JsonNode? link)
    {
        Assert.NotNull(link);
        var uri = new Uri((string)link["uri"]!);
        var token = await client.GetObjectAsync(uri.PathAndQuery);
        Assert.Equal((string)link["id"]!, (string)token["tokenId"]!);
        Assert.Equal((string)link["family"]!, (string)token["family"]!);
        var payload = JsonNode.Parse(Base64Url.DecodeFromChars(((string)token["jws"]!).Split('.')[1]))!;
        return (token, payload["facts"]!.AsObject());
    }

    public static List<string> Codes(this IEnumerable<JsonObject> items, string member = "code") => [.. items.Select(i => (string)i[member]!)];

    /// <summary>A scope row is current on <paramref name="asOf"/> as the register defines it (docs/spec/public-api.md).</summary>
    public static bool IsCurrent(JsonObject row, string asOf) =>
        row["isRefused"]!.GetValue<bool>() is false
        && ((string?)row["endDate"] is not { } end || string.CompareOrdinal(end, asOf) >= 0)
        && ((string?)row["startDate"] is not { } start || string.CompareOrdinal(start, asOf) <= 0);
}
