using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using Rtgf.Core.Encoding;
using Rtgf.Functions.Tests.Support;
using Rtgf.Functions.Verification;

namespace Rtgf.Functions.Tests.Robustness;

/// <summary>
/// Thousands of malformed, truncated, oversized and adversarial tokens, bodies and paths to the verifier, registry, log,
/// revocation and operations routes (the public surface, /v1 and /mcp, is <see cref="PublicSurfaceRobustnessTests"/>).
/// Variations are derived from a counter and SHA-256 (no randomness), so every run sends the same requests. Only 2xx
/// verdicts or 4xx Problems may come back (<see cref="AnswerLedger"/>), never a 5xx, and the app still answers afterwards.
/// </summary>
public sealed class VerifierRobustnessTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private const int Requests = 3000;

    [Fact]
    public async Task AdversarialRequests_AreAnswered4xxOrVerdicts_NeverServerErrors()
    {
        using var client = api.CreateClient();
        var ledger = new AnswerLedger();
        for (var i = 0; i < Requests; i++)
        {
            // A second apart: a token with an unknown kid waits for a key-set read that starts after it arrives, at most one a second.
            api.Clock.Advance(KeySetVerifiers.MinRefreshInterval);
            using var request = Build(i);
            await ledger.SendAsync(client, request, "all", RefusalShape.Problem, $"#{i} {request.Method} {request.RequestUri}");
        }

        Assert.True(ledger.Failures.Count == 0, string.Join("\n", ledger.Failures.Take(20)));
        var statuses = ledger.Statuses("all");
        Assert.True(statuses.Keys.Any(s => s is >= 400 and < 500) && statuses.ContainsKey(200), ledger.Summary());
        using var health = await client.GetAsync(new Uri("/.well-known/rtgf", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }

    /// <summary>
    /// Shapes the random requests never hit (issue 21): date claims at and beyond the ends of the calendar, a status uri
    /// segment longer than a table key, and subjects that outgrow a row key once escaped. Signed with the fixture's
    /// certified key, so they pass the signature and reach the later checks.
    /// </summary>
    [Fact]
    public async Task KnownEdgeShapes_AreAnswered4xxOrVerdicts_NeverServerErrors()
    {
        var dated = new List<string>();
        foreach (var claim in new[] { "iat", "exp", "nbf" })
        {
            foreach (var value in new[] { "-1e11", "253402300799", "-62135596800", "253402300800", "-1", "0.5", "1e20", "-0", "1E3" })
            {
                dated.Add(await AdversarialTokens.WithDateAsync(api.Publication, claim, value));
            }
        }

        var longList = await AdversarialTokens.WithListUriAsync(api.Publication, "rto:70000", AdversarialTokens.LongSegmentListUri);
        var requests = new List<Func<HttpRequestMessage>>();
        foreach (var token in dated.Append(longList))
        {
            foreach (var at in new[] { string.Empty, ",\"at\":\"0001-01-01T00:00:00Z\"", ",\"at\":\"9999-12-31T23:59:59Z\"" })
            {
                requests.Add(() => PostJson("/verify", "{\"token\":" + JsonString(token) + at + "}"));
            }
        }

        requests.Add(() => PostJson("/verify/batch", "{\"tokens\":[" + string.Join(",", dated.Take(40).Append(longList).Append(api.Tokens[0].Jws).Select(JsonString)) + "]}"));
        foreach (var subject in new[] { new string('%', 256), new string('/', 256), new string('#', 171), new string('?', 150), new string('\\', 149) })
        {
            requests.Add(() => new HttpRequestMessage(HttpMethod.Get, "/tokens?subject=" + Uri.EscapeDataString(subject)));
            requests.Add(() => new HttpRequestMessage(HttpMethod.Get, "/tokens?subject=" + Uri.EscapeDataString(subject) + "&family=" + ApiFixture.Family));
        }

        using var client = api.CreateClient();
        var ledger = new AnswerLedger();
        foreach (var build in requests)
        {
            using var request = build();
            await ledger.SendAsync(client, request, "all", RefusalShape.Problem, $"{request.Method} {request.RequestUri}");
        }

        Assert.True(ledger.Failures.Count == 0, string.Join("\n", ledger.Failures.Take(20)));
    }

    private HttpRequestMessage Build(int i)
    {
        var h = SHA256.HashData(BitConverter.GetBytes(i));
        var n = BitConverter.ToUInt32(h, 0);
        return (i % 10) switch
        {
            0 or 1 or 2 => Post("/verify", "{\"token\":" + JsonString(AdversarialToken(i, h, n)) + "}"),
            3 => Post("/verify", AdversarialBody(i, h, n)),
            4 => Post("/verify/batch", "{\"tokens\":[" + string.Join(",", Enumerable.Range(0, (int)(n % 5) + 1).Select(k => JsonString(AdversarialToken(i + k, SHA256.HashData(h.Append((byte)k).ToArray()), n >> k)))) + "]}"),
            5 => Post("/verify/batch", AdversarialBody(i, h, n).Replace("token", "tokens", StringComparison.Ordinal)),
            6 => Post(n % 2 == 0 ? "/ops/revocations" : "/ops/freeze/clear", AdversarialBody(i, h, n)),
            _ => new HttpRequestMessage(HttpMethod.Get, AdversarialPath(h, n)),
        };
    }

    private string AdversarialToken(int i, byte[] h, uint n)
    {
        var valid = api.Tokens[(int)(n % (uint)api.Tokens.Count)].Jws;
        var parts = valid.Split('.');
        return (i / 10 % 12) switch
        {
            0 => valid[..(int)(n % (uint)valid.Length)],
            1 => Flip(valid, (int)(n % (uint)valid.Length), h[4]),
            2 => Base64UrlStrict.Encode(h) + "." + Base64UrlStrict.Encode(SHA256.HashData(h)) + "." + Base64UrlStrict.Encode(h),
            3 => Header($"{{\"alg\":\"{Pick(n, "none", "HS256", "RS256", "ES384", "es256", "ES256 ", "")}\",\"kid\":\"{parts[0][..8]}\"}}") + "." + parts[1] + "." + parts[2],
            4 => Header("{\"alg\":\"ES256\",\"kid\":" + Pick(n, "1", "null", "[]", "{}", "\"" + new string('k', 5000) + "\"") + "}") + "." + parts[1] + ".",
            5 => new string('.', (int)(n % 64)),
            6 => Header(new string('[', (int)(n % 2000) + 1)) + "." + parts[1] + "." + parts[2],
            7 => parts[0] + "." + Base64UrlStrict.Encode(Encoding.UTF8.GetBytes("{\"exp\":1e400,\"iat\":" + n.ToString(CultureInfo.InvariantCulture) + ",\"status\":{\"status_list\":{\"idx\":99999999999,\"uri\":\"http://localhost/revocations/status-lists/rto-registration/0\"}}}")) + "." + parts[2],
            8 => parts[0] + "." + parts[1] + "." + parts[2] + "=",
            9 => valid.Replace('-', '+').Replace('_', '/'),
            10 => parts[0] + "." + Base64UrlStrict.Encode(Encoding.UTF8.GetBytes("{\"status\":{\"status_list\":{\"idx\":" + (n % 100).ToString(CultureInfo.InvariantCulture) + ",\"uri\":\"" + Pick(n, "http://x/revocations/status-lists/../../etc", "not a uri", "http://localhost/revocations/status-lists/rto-registration/0", "http://localhost/revocations/status-lists/") + "\"}},\"exp\":1,\"iat\":0}")) + "." + parts[2],
            _ => string.Concat(Enumerable.Repeat(valid, (int)(n % 8) + 2)),
        };
    }

    private static string AdversarialBody(int i, byte[] h, uint n) => (i / 10 % 10) switch
    {
        0 => "{\"token\":",
        1 => string.Empty,
        2 => "null",
        3 => "{\"token\":\"a.b.c\",\"at\":\"" + Convert.ToHexString(h) + "\"}",
        4 => "{\"token\":\"a.b.c\",\"checkpoint\":\"" + Convert.ToHexString(h) + "\",\"proof\":{\"logIndex\":" + n.ToString(CultureInfo.InvariantCulture) + ",\"hashes\":[\"" + Convert.ToBase64String(h)[..(int)(n % 40)] + "\"]}}",
        5 => "{\"token\":\"a.b.c\",\"checkpoint\":\"localhost/rtgf/log\\n1\\n" + Convert.ToBase64String(h) + "\\n\\n\u2014 localhost/rtgf/log AAAA\\n\",\"proof\":{\"logIndex\":0}}",
        6 => new string('[', (int)(n % 5000) + 20),
        7 => "{\"tokenId\":" + (n % 2 == 0 ? "1e999" : "\"" + Convert.ToHexStringLower(h) + "\"") + ",\"reason\":" + (n % 3 == 0 ? "[]" : "\"x\"") + ",\"token\":{}}",
        8 => "{\"token\":\"" + new string('A', 70_000 + (int)(n % 1000)) + "\"}",
        _ => Encoding.Latin1.GetString(h) + "\u0000\uFFFF",
    };

    private static string AdversarialPath(byte[] h, uint n) => (n % 16) switch
    {
        0 => "/log/proofs/inclusion?index=" + n.ToString(CultureInfo.InvariantCulture) + "&size=" + (n / 3).ToString(CultureInfo.InvariantCulture),
        1 => "/log/proofs/inclusion?index=" + new string('9', (int)(n % 40) + 1),
        2 => "/log/proofs/consistency?first=" + (n % 400).ToString(CultureInfo.InvariantCulture) + "&second=" + (n % 700).ToString(CultureInfo.InvariantCulture),
        3 => "/log/tile/" + (n % 70).ToString(CultureInfo.InvariantCulture) + "/" + (n % 1000).ToString("000", CultureInfo.InvariantCulture) + (n % 3 == 0 ? ".p/" + (n % 300).ToString(CultureInfo.InvariantCulture) : string.Empty),
        4 => "/log/tile/entries/" + string.Concat(Enumerable.Repeat("x" + (n % 1000).ToString("000", CultureInfo.InvariantCulture) + "/", (int)(n % 9))) + "000",
        5 => "/tokens/" + Convert.ToHexStringLower(h)[..(int)(n % 65)],
        6 => "/tokens?subject=" + Uri.EscapeDataString(Encoding.Latin1.GetString(h)) + "&family=" + Convert.ToHexString(h),
        7 => "/catalog/" + Convert.ToHexStringLower(h)[..((int)(n % 64) + 1)] + "?cursor=" + Uri.EscapeDataString(Convert.ToBase64String(h)),
        8 => "/catalog/rto-registration?limit=" + (n % 1000).ToString(CultureInfo.InvariantCulture) + "&cursor=after:" + (n % 10).ToString(CultureInfo.InvariantCulture),
        9 => "/revocations?since=" + (n % 5 == 0 ? "-" : string.Empty) + n.ToString(CultureInfo.InvariantCulture) + "&limit=" + (n % 2000).ToString(CultureInfo.InvariantCulture),
        10 => "/revocations/status-lists/" + Convert.ToHexStringLower(h)[..((int)(n % 20) + 1)] + "/" + (n % 3).ToString(CultureInfo.InvariantCulture),
        11 => "/.well-known/" + Convert.ToHexStringLower(h)[..8],
        12 => "/log/" + Convert.ToHexString(h) + "%2F%2e%2e",
        13 => "/verify/" + Convert.ToHexStringLower(h)[..(int)(n % 30)],
        14 => "/ops/" + Pick(n, "freeze", "sync-status", "functions", "revocations"),
        _ => "/log/checkpoint",
    };

    private static HttpRequestMessage Post(string path, string body) => new(HttpMethod.Post, path)
    {
        Content = new StringContent(body, Encoding.UTF8, body.Length % 7 == 0 ? "text/plain" : "application/json"),
    };

    private static HttpRequestMessage PostJson(string path, string body) => new(HttpMethod.Post, path)
    {
        Content = new StringContent(body, Encoding.UTF8, "application/json"),
    };

    private static string Header(string json) => Base64UrlStrict.Encode(Encoding.UTF8.GetBytes(json));

    private static string Flip(string text, int at, byte with) => text[..at] + (char)('A' + (with % 26)) + text[(at + 1)..];

    private static string Pick(uint n, params string[] options) => options[(int)(n / 7 % (uint)options.Length)];

    private static string JsonString(string text) => System.Text.Json.JsonSerializer.Serialize(text);
}
