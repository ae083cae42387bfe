using System.Net;
using System.Text;
using Rtgf.Functions.Tests.Support;
using Rtgf.Testing;

namespace Rtgf.Functions.Tests.Endpoints;

/// <summary>
/// Generated malformed /v1 requests (seeded, so every run sends the same ones): bad and odd query values, huge and forged
/// cursors, unicode and injection strings, unknown and malformed codes. Only 200s or 4xx Problems may come back, never a
/// 5xx, and the app answers afterwards.
/// </summary>
[Collection(PublicApiWorld.Name)]
public sealed class PublicApiRobustnessTests(PublishedWorldFixture world)
{
    private const int Requests = 2000;

    private static readonly string[] Routes =
    [
        "/v1/rtos", "/v1/rtos/{code}", "/v1/rtos/{code}/scope", "/v1/components", "/v1/components/{code}", "/v1/components/{code}/providers",
        "/v1/cricos/providers", "/v1/cricos/providers/{code}", "/v1/cricos/courses/{code}", "/v1/teqsa/providers", "/v1/teqsa/providers/{code}",
        "/v1/stats", "/v1/search",
    ];

    private static readonly string[] Parameters = ["q", "status", "state", "registrationManager", "component", "type", "kind", "current", "limit", "cursor"];

    private static readonly string[] Values =
    [
        "", " ", "0", "-1", "501", "99999999999999999999", "1e3", "0x10", "true", "TRUE", "null", "NSW", "Current", "Unit", "rto", "component",
        "' OR 1=1 --", "\"; DROP TABLE rtos; --", "<script>alert(1)</script>", "*:*", "title:(a OR b)~2^3", "a AND", "\\", "%", "%00", "%%", "..%2F..%2F",
        "ÄÖÜ", "日本語", "🦘🦘", "\u202Eevil", "a\u0000b", "\t", "\n", new string('x', 101), new string('y', 5000), "[]", "{}", "?cursor=",
        "MWVlYjI3NzljZDlmZmRhNGQzMzQ2YmIwZWFmMWE0N2I3ZGVhODNkZjU0MTg5Y2E2NGE5NjIwYTVhNTYwNjJjYS4zLjZhNzI5NmU3ZDFiYTE3OWQ",
        Convert.ToBase64String(Encoding.ASCII.GetBytes(new string('f', 64) + ".1.0000000000000000")),
    ];

    private static readonly string[] Codes = ["10010", "BSB40120", "00149M", "PRV12016", "nope", "a b", "..", "%2F", "日本", new string('9', 65), "-", "_x_", "A.B"];

    [Fact]
    public async Task GeneratedMalformedRequests_AreAnswered200Or4xxProblems_NeverServerErrors()
    {
        using var client = world.CreateClient();
        var random = new SeededRandom(15);
        var failures = new List<string>();
        var statuses = new SortedDictionary<int, int>();
        for (var i = 0; i < Requests; i++)
        {
            var path = Routes[random.Next(0, Routes.Length)].Replace("{code}", Uri.EscapeDataString(Codes[random.Next(0, Codes.Length)]), StringComparison.Ordinal);
            var query = string.Join("&", Enumerable.Range(0, random.Next(0, 4)).Select(_ =>
                Parameters[random.Next(0, Parameters.Length)] + "=" + Uri.EscapeDataString(Values[random.Next(0, Values.Length)])));
            var uri = query.Length == 0 ? path : path + "?" + query;

            using var response = await client.GetAsync(new Uri(uri, UriKind.Relative));
            var status = (int)response.StatusCode;
            statuses[status] = statuses.GetValueOrDefault(status) + 1;
            if (status >= 500)
            {
                failures.Add($"{uri} -> {status}: {await response.Content.ReadAsStringAsync()}");
            }
            else if (status >= 400 && response.Content.Headers.ContentType?.MediaType != "application/problem+json")
            {
                failures.Add($"{uri} -> {status} without a Problem body");
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures.Take(20)));
        var seen = string.Join(", ", statuses.Select(s => $"{s.Key}: {s.Value}"));
        Assert.True(statuses.ContainsKey(200) && statuses.ContainsKey(400) && statuses.ContainsKey(404), seen);
        using var health = await client.GetAsync(new Uri("/v1/stats", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }
}
