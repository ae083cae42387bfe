using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Rtgf.Functions.Tests.Endpoints;
using Rtgf.Functions.Tests.Support;
using Rtgf.Testing;
using Xunit.Abstractions;

namespace Rtgf.Functions.Tests.Robustness;

/// <summary>
/// Issue 15's bad-input bar: over ten thousand generated malformed requests to <c>/v1</c> and <c>/mcp</c> on the published
/// sample world, with the access middleware on (mostly a valid key with both scopes; also anonymous, malformed keys,
/// unknown keys, wrong scopes, two Authorization headers). Bad values for every parameter, odd cursors, unicode in
/// parameters and path segments, injection strings in <c>q</c>, odd methods, bodies where none belongs, oversize and
/// malformed JSON-RPC. Each request comes from its own seed, so a run sends the same requests whatever the order.
/// </summary>
[Collection(PublicApiWorld.Name)]
public sealed class PublicSurfaceRobustnessTests(PublishedWorldFixture world, ITestOutputHelper output)
{
    private const int CatalogueRequests = 7600;
    private const int McpRequests = 2800;

    // Under a plan's burst (enterprise: 1,000), so the limiter, on a clock that stands still, refuses none of a key's uses.
    internal const int UsesPerKey = 900;

    private static readonly string[] Lists = ["/v1/rtos", "/v1/components", "/v1/components/{code}/providers", "/v1/rtos/{code}/scope", "/v1/cricos/providers", "/v1/teqsa/providers", "/v1/search"];

    private static readonly string[] Documents = ["/v1/rtos/{code}", "/v1/components/{code}", "/v1/cricos/providers/{code}", "/v1/cricos/courses/{code}", "/v1/teqsa/providers/{code}", "/v1/stats", "/v1", "/v1/"];

    private static readonly string[] Parameters = ["q", "status", "state", "registrationManager", "component", "type", "kind", "current", "limit", "cursor"];

    private static readonly string[] Tools = ["verify_token", "revocation_status", "search_components", "get_component", "get_rto", "rto_scope", "component_providers", "search", "no_such_tool", ""];

    private static readonly string[] ArgumentNames = ["token", "tokenId", "at", "checkpoint", "logIndex", "q", "query", "code", "state", "limit", "cursor", "kind", ""];

    private static readonly string[] JsonValues = ["null", "true", "0", "-1", "1.5", "1e400", "9223372036854775808", "[]", "{}", "\"\"", "[[[[[[[[[[]]]]]]]]]]", "\"x\""];

    private static readonly string[] McpMethods = ["tools/call", "tools/list", "initialize", "ping", "resources/list", "prompts/get", "notifications/initialized", "", "TOOLS/CALL", "rpc.discover"];

    [Fact]
    public async Task TenThousandGeneratedMalformedRequests_AreAnsweredWithoutServerErrors_AndTheAppStillAnswers()
    {
        var keys = await SurfaceKeys.CreateAsync(world, (CatalogueRequests + McpRequests) / UsesPerKey + 1);
        var samples = await SamplesAsync(keys.Full[0]);
        var ledger = new AnswerLedger();
        using var client = world.CreateClient();

        await Parallel.ForEachAsync(Enumerable.Range(0, CatalogueRequests + McpRequests), new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (i, _) =>
        {
            var random = new SeededRandom(0x15_0000_0000UL + (ulong)i);
            var catalogue = i < CatalogueRequests;
            var (request, label) = catalogue ? Catalogue(random, samples) : Mcp(random, samples);
            using (request)
            {
                var credential = keys.Authorize(request, random, i, catalogue);
                var description = $"#{i} [{credential}] {request.Method} {request.RequestUri}";
                await ledger.SendAsync(client, request, (catalogue ? "v1 " : "mcp ") + label + " / " + credential, catalogue ? RefusalShape.Problem : RefusalShape.ProblemOrJsonRpcError, description);
            }
        });

        output.WriteLine(ledger.Summary());
        foreach (var failure in ledger.Failures.Take(300))
        {
            output.WriteLine(failure);
        }

        Assert.True(ledger.Failures.Count == 0, ledger.Failures.Count + " failures:\n" + string.Join("\n", ledger.Failures.Take(25)));
        Assert.True(ledger.Sent >= 10_000, ledger.Sent.ToString(System.Globalization.CultureInfo.InvariantCulture));

        // The mix is varied: the run reached the handlers (answers and their refusals), not only the access check.
        var all = ledger.Totals();
        output.WriteLine("all: " + string.Join(", ", all.Select(s => $"{s.Key}×{s.Value}")));
        foreach (var status in new[] { 200, 400, 401, 403, 404, 405, 413, 415 })
        {
            Assert.True(all.ContainsKey(status), $"no {status}:\n" + ledger.Summary());
        }

        // No refused credential got through (the scheme's case and spaces around the key are not refusals: RFC 9110).
        foreach (var label in ledger.Labels.Where(l => l.EndsWith("malformed key", StringComparison.Ordinal) || l.EndsWith("two headers", StringComparison.Ordinal) || l.EndsWith("wrong scope", StringComparison.Ordinal) || (l.StartsWith("mcp", StringComparison.Ordinal) && l.EndsWith("anonymous", StringComparison.Ordinal))))
        {
            Assert.True(ledger.Statuses(label).Keys.All(s => s >= 400), label + ": " + string.Join(", ", ledger.Statuses(label)));
        }

        Assert.True(all[200] > ledger.Sent / 5 && all.GetValueOrDefault(429) == 0 && all[401] + all[403] < ledger.Sent / 4, ledger.Summary());

        // And the app still answers a normal request correctly, on both areas.
        var page = await Get(client, "/v1/rtos?limit=2", keys.Full[0]);
        Assert.Equal(2, page["items"]!.AsArray().Count);
        Assert.Equal(samples.RtoCode, (string)(await Get(client, "/v1/rtos/" + samples.RtoCode, keys.Full[0]))["code"]!);
        using var tools = Post("/mcp", """{"jsonrpc":"2.0","id":7,"method":"tools/list"}""");
        tools.Headers.Authorization = new AuthenticationHeaderValue("Bearer", keys.Full[0]);
        using var listed = await client.SendAsync(tools);
        Assert.Equal(HttpStatusCode.OK, listed.StatusCode);
        Assert.Contains("\"verify_token\"", await listed.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private static (HttpRequestMessage Request, string Label) Catalogue(SeededRandom random, Samples samples)
    {
        var kind = random.Next(0, 100);
        if (kind < 38)
        {
            return (Get(Path(random, samples, random.Chance(70) ? Lists : Documents) + Query(random, samples, Parameters)), "parameters");
        }

        if (kind < 52)
        {
            return (Get(Path(random, samples, Lists) + "?cursor=" + Cursor(random, samples) + (random.Chance(30) ? "&limit=" + random.Next(1, 5) : "") + (random.Chance(20) ? "&q=a" : "")), "cursors");
        }

        if (kind < 66)
        {
            var template = random.Pick(Lists.Concat(Documents).Where(r => r.Contains("{code}", StringComparison.Ordinal)).ToArray());
            // No NUL in a path: Kestrel refuses it with a 400 before any app sees it, and the test server throws instead.
            var segment = HostileInput.Escaped(random).Replace("%00", "%01", StringComparison.Ordinal);
            return (Get(template.Replace("{code}", segment.Length == 0 ? "%20" : segment, StringComparison.Ordinal) + (random.Chance(30) ? Query(random, samples, Parameters) : "")), "path segments");
        }

        if (kind < 80)
        {
            var q = random.Chance(75) ? random.Pick(HostileInput.Injections) : HostileInput.AnyValue(random);
            var extra = random.Chance(50) ? "&" + random.Pick(Parameters) + "=" + HostileInput.Escaped(random) : "";
            return (Get("/v1/search?q=" + HostileInput.Escape(q) + extra + (random.Chance(20) ? "&q=" + HostileInput.Escape(q) : "")), "search q");
        }

        if (kind < 88)
        {
            var odd = Get(Path(random, samples, random.Chance(50) ? Lists : Documents) + (random.Chance(30) ? Query(random, samples, Parameters) : ""));
            OddHeaders(odd, random);
            return (odd, "headers");
        }

        var path = Path(random, samples, random.Chance(50) ? Lists : Documents) + (random.Chance(30) ? Query(random, samples, Parameters) : "");
        var method = random.Pick(new[] { HttpMethod.Put, HttpMethod.Patch, HttpMethod.Delete, HttpMethod.Post, HttpMethod.Options, HttpMethod.Head, HttpMethod.Get, new HttpMethod("PROPFIND") });
        var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative));
        if (random.Chance(70) && method != HttpMethod.Head)
        {
            request.Content = Body(random);
        }

        return (request, "methods and bodies");
    }

    /// <summary>Odd caching, negotiation and forwarding headers (the front end appends its own address to X-Forwarded-For).</summary>
    private static void OddHeaders(HttpRequestMessage request, SeededRandom random)
    {
        string[] names = ["If-None-Match", "If-Modified-Since", "Accept", "Accept-Encoding", "Accept-Language", "Range", "X-Forwarded-For", "X-Forwarded-Proto", "X-Forwarded-Host", "Forwarded", "Content-Type", "Cache-Control", "MCP-Protocol-Version"];
        string[] values =
        [
            "*", "W/\"x\"", "\"", "\"\"", "\"abc\", *, W/", "garbage", "", "0", "Thu, 01 Jan 1970 00:00:00 GMT", "Fri, 31 Dec 9999 23:59:59 GMT", "yesterday",
            "bytes=0-0", "bytes=-1", "bytes=999999999999-", "application/xml", "text/html;q=abc", "*/*;q=0", "application/json;q=0, */*;q=0", "gzip;q=2, br, zstd, x",
            "999.999.999.999", "::1%eth0", "1.2.3.4, 5.6.7.8, garbage", "[::1]:80", "unknown", "for=\"[2001:db8::1]\";proto=https", "javascript:alert(1)",
            new string('9', 8000), string.Concat(Enumerable.Repeat("1.2.3.4, ", 500)), "é", "\u00FF\u00FE",
        ];
        for (var n = random.Next(1, 4); n > 0; n--)
        {
            request.Headers.TryAddWithoutValidation(random.Pick(names), random.Pick(values));
        }
    }

    private static string Path(SeededRandom random, Samples samples, string[] templates)
    {
        var template = random.Pick(templates);
        return template.Replace("{code}", template.Contains("component", StringComparison.Ordinal) ? samples.ComponentCode : template.Contains("cricos", StringComparison.Ordinal) ? samples.CricosCode : samples.RtoCode, StringComparison.Ordinal);
    }

    /// <summary>One to four parameters, each a known or an odd name with a hostile value, sometimes repeated, empty or bare.</summary>
    private static string Query(SeededRandom random, Samples samples, string[] names)
    {
        var parts = new List<string>();
        for (var n = random.Next(1, 5); n > 0; n--)
        {
            var name = random.Chance(90) ? random.Pick(names) : HostileInput.Escaped(random);
            var value = random.Next(0, 10) switch
            {
                0 => "",
                1 => null,
                2 => name == "cursor" ? Cursor(random, samples) : "1",
                3 or 4 => HostileInput.Escape(random.Pick(HostileInput.Numbers)),
                _ => HostileInput.Escaped(random),
            };
            parts.Add(value is null ? name : name + "=" + value);
            if (random.Chance(15))
            {
                parts.Add(name + "=" + HostileInput.Escaped(random));
            }
        }

        if (random.Chance(3))
        {
            // Hundreds of one parameter (a long query string, and a repeat the handler must refuse or pick from).
            parts.AddRange(Enumerable.Repeat(random.Pick(names) + "=" + random.Next(0, 600), 400));
        }

        return "?" + string.Join("&", parts);
    }

    /// <summary>Forged and misused cursors: garbage, base64 of garbage, another route's, huge, padded, url-unsafe, altered.</summary>
    private static string Cursor(SeededRandom random, Samples samples)
    {
        var real = random.Pick(samples.Cursors);
        var bytes = new byte[random.Next(0, 80)];
        for (var b = 0; b < bytes.Length; b++)
        {
            bytes[b] = (byte)random.Next(0, 256);
        }

        var text = random.Next(0, 12) switch
        {
            0 => Encoding.Latin1.GetString(bytes),
            1 => Convert.ToBase64String(bytes),
            2 => Convert.ToBase64String(Encoding.UTF8.GetBytes(random.Pick(HostileInput.Injections))),
            3 => real,
            4 => new string('A', 100 * 1024),
            5 => real + "==",
            6 => real.Replace('-', '+').Replace('_', '/'),
            7 => real[..random.Next(0, real.Length)],
            8 => real[..(real.Length / 2)] + (char)('a' + random.Next(0, 26)) + real[(real.Length / 2 + 1)..],
            9 => Convert.ToBase64String(Encoding.UTF8.GetBytes(new string('f', 64) + "." + random.Next(-5, 99999) + "." + new string('0', random.Next(0, 20)))),
            10 => HostileInput.AnyValue(random),
            _ => real + real,
        };
        return HostileInput.Escape(text);
    }

    private static ByteArrayContent Body(SeededRandom random)
    {
        var content = random.Next(0, 5) switch
        {
            0 => new ByteArrayContent(new byte[random.Chance(50) ? 200 * 1024 : 2 * 1024 * 1024]),
            1 => new ByteArrayContent(HostileInput.NotUtf8(random)),
            2 => new StringContent("{\"q\":" + random.Pick(JsonValues) + "}", Encoding.UTF8),
            3 => new StringContent(random.Pick(HostileInput.Injections), Encoding.UTF8),
            _ => new ByteArrayContent([]),
        };
        content.Headers.ContentType = random.Chance(60) ? new MediaTypeHeaderValue("application/json") : random.Chance(50) ? new MediaTypeHeaderValue("text/plain") : null;
        return content;
    }

    private static (HttpRequestMessage Request, string Label) Mcp(SeededRandom random, Samples samples)
    {
        var kind = random.Next(0, 100);
        if (kind < 8)
        {
            var method = random.Pick(new[] { HttpMethod.Put, HttpMethod.Patch, HttpMethod.Delete, HttpMethod.Get, HttpMethod.Options, new HttpMethod("TRACE") });
            var request = new HttpRequestMessage(method, random.Chance(80) ? "/mcp" : "/mcp/" + HostileInput.Escaped(random).Replace("%00", "%01", StringComparison.Ordinal));
            request.Headers.Accept.ParseAdd(random.Chance(50) ? "text/event-stream" : "application/json, text/event-stream");
            if (random.Chance(50) && method != HttpMethod.Get)
            {
                request.Content = Body(random);
            }

            return (request, "methods");
        }

        if (kind < 16)
        {
            // Oversize: just over the 128 KiB limit, far over it, or over it without a declared length.
            var size = random.Pick(new[] { 128 * 1024 + 1, 1024 * 1024, 5 * 1024 * 1024 });
            var body = Encoding.UTF8.GetBytes("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{\"name\":\"verify_token\",\"arguments\":{\"token\":\"" + new string('A', size) + "\"}}}");
            HttpContent content = random.Chance(50) ? new ByteArrayContent(body) : new StreamContent(new UnknownLengthStream(body));
            content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            return (McpPost(random, content), "oversize");
        }

        if (kind < 26)
        {
            var content = random.Next(0, 6) switch
            {
                0 => new ByteArrayContent(HostileInput.NotUtf8(random)),
                1 => new ByteArrayContent([0xEF, 0xBB, 0xBF, .. "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}"u8.ToArray()]),
                _ => new StringContent(JsonRpc(random, samples), Encoding.UTF8),
            };
            content.Headers.ContentType = random.Pick(new MediaTypeHeaderValue?[] { null, new("text/plain"), new("application/json") { CharSet = "latin1" }, new("multipart/form-data"), new("application/jsonrpc"), new("application/json") });
            return (McpPost(random, content), "media types");
        }

        var json = JsonRpc(random, samples);
        var bytes = Encoding.UTF8.GetBytes(json);
        if (random.Chance(12))
        {
            bytes = bytes[..random.Next(0, bytes.Length + 1)];
        }

        var message = new ByteArrayContent(bytes);
        message.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return (McpPost(random, message), "json-rpc");
    }

    private static HttpRequestMessage McpPost(SeededRandom random, HttpContent content)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/mcp") { Content = content };
        if (random.Chance(92))
        {
            request.Headers.Accept.ParseAdd(random.Chance(95) ? "application/json, text/event-stream" : random.Pick(new[] { "application/json", "text/event-stream", "*/*", "text/html" }));
        }

        var protocol = random.Next(0, 6) switch { 0 => "2025-06-18", 1 => "2025-11-25", 2 => "1999-01-01", 3 => "garbage", _ => null };
        if (protocol is not null)
        {
            request.Headers.TryAddWithoutValidation("MCP-Protocol-Version", protocol);
        }

        return request;
    }

    /// <summary>A JSON-RPC message, mostly tool calls with hostile arguments, often broken in its envelope.</summary>
    private static string JsonRpc(SeededRandom random, Samples samples)
    {
        static string Quoted(string text) => JsonValue.Create(text)!.ToJsonString();
        var id = random.Next(0, 6) switch { 0 => "1", 1 => Quoted("r"), 2 => random.Pick(JsonValues), 3 => "", 4 => "99999999999999999999999", _ => Quoted(random.Pick(HostileInput.Unicode)) };
        var idMember = id.Length == 0 ? "" : $"\"id\":{id},";
        var value = random.Next(0, 4) switch
        {
            0 => random.Pick(JsonValues),
            1 => Quoted(random.Pick(new[] { samples.Jws, samples.TokenId, samples.RtoCode, samples.ComponentCode })),
            _ => Quoted(HostileInput.AnyValue(random)),
        };
        var arguments = random.Next(0, 5) switch
        {
            0 => random.Pick(JsonValues),
            1 => "{}",
            2 => $"{{\"token\":{Quoted(samples.Jws)},{Quoted(random.Pick(ArgumentNames))}:{value}}}",
            _ => $"{{{Quoted(random.Chance(85) ? random.Pick(ArgumentNames) : HostileInput.AnyValue(random))}:{value},{Quoted(random.Pick(ArgumentNames))}:{random.Pick(JsonValues)}}}",
        };
        var tool = random.Chance(85) ? random.Pick(Tools) : HostileInput.AnyValue(random);
        return random.Next(0, 10) switch
        {
            < 5 => $"{{\"jsonrpc\":\"2.0\",{idMember}\"method\":\"tools/call\",\"params\":{{\"name\":{Quoted(tool)},\"arguments\":{arguments}}}}}",
            5 => $"{{\"jsonrpc\":\"2.0\",{idMember}\"method\":{Quoted(random.Pick(McpMethods))},\"params\":{random.Pick(JsonValues)}}}",
            6 => $"{{\"jsonrpc\":{random.Pick(JsonValues)},{idMember}\"method\":{Quoted(random.Pick(McpMethods))}}}",
            7 => $"[{{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}},{{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/list\"}}]",
            8 => $"{{\"jsonrpc\":\"2.0\",{idMember}\"method\":\"initialize\",\"params\":{{\"protocolVersion\":{value},\"capabilities\":{random.Pick(JsonValues)},\"clientInfo\":{random.Pick(JsonValues)}}}}}",
            _ => string.Concat(Enumerable.Repeat("{\"a\":", random.Next(1, 3000))) + "1" + new string('}', random.Next(0, 3000)),
        };
    }

    private static HttpRequestMessage Get(string uri) => new(HttpMethod.Get, new Uri(uri, UriKind.Relative));

    private static HttpRequestMessage Post(string uri, string json)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, uri) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        request.Headers.Accept.ParseAdd("application/json, text/event-stream");
        return request;
    }

    private static async Task<JsonObject> Get(HttpClient client, string path, string key)
    {
        using var request = Get(path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        using var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path} answered {(int)response.StatusCode}: {text}");
        return JsonNode.Parse(text)!.AsObject();
    }

    /// <summary>Real values of the published world: codes, cursors of several routes, a token.</summary>
    private async Task<Samples> SamplesAsync(string key)
    {
        using var client = world.CreateClient();
        var rtos = await Get(client, "/v1/rtos?limit=1", key);
        var rto = rtos["items"]![0]!.AsObject();
        var components = await Get(client, "/v1/components?limit=1", key);
        var cricos = await Get(client, "/v1/cricos/providers?limit=1", key);
        var search = await Get(client, "/v1/search?q=a&limit=1", key);
        var token = await Get(client, new Uri((string)rto["token"]!["uri"]!).PathAndQuery, key);
        string[] cursors = [.. new[] { rtos, components, cricos, search }.Select(p => (string?)p["nextCursor"]).OfType<string>()];
        Assert.NotEmpty(cursors);
        return new Samples(
            (string)rto["code"]!,
            (string)components["items"]![0]!["code"]!,
            (string)cricos["items"]![0]!["code"]!,
            cursors,
            (string)token["jws"]!,
            (string)token["tokenId"]!);
    }

    private sealed record Samples(string RtoCode, string ComponentCode, string CricosCode, string[] Cursors, string Jws, string TokenId);

    /// <summary>A body stream without a known length (sent chunked), so the app cannot refuse it by Content-Length alone.</summary>
    private sealed class UnknownLengthStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;
    }
}

/// <summary>
/// The keys a generated run uses, created through <c>POST /ops/api-keys</c>: keys with both scopes on the enterprise plan,
/// one per <c>UsesPerKey</c> requests so the limiter refuses none, and a key of each single scope.
/// </summary>
internal sealed class SurfaceKeys
{
    private SurfaceKeys(string[] full, string catalogueOnly, string mcpOnly)
    {
        Full = full;
        CatalogueOnly = catalogueOnly;
        McpOnly = mcpOnly;
    }

    public string[] Full { get; }

    public string CatalogueOnly { get; }

    public string McpOnly { get; }

    public static async Task<SurfaceKeys> CreateAsync(PublishedWorldFixture world, int count)
    {
        using var client = world.CreateClient();
        var full = new string[count];
        for (var k = 0; k < count; k++)
        {
            full[k] = await CreateAsync(client, ["catalogue:read", "mcp"]);
        }

        return new SurfaceKeys(full, await CreateAsync(client, ["catalogue:read"]), await CreateAsync(client, ["mcp"]));
    }

    /// <summary>Sets the request's credential (a valid key most of the time); returns what it was, for the labels.</summary>
    public string Authorize(HttpRequestMessage request, SeededRandom random, int index, bool catalogue)
    {
        var valid = Full[index / PublicSurfaceRobustnessTests.UsesPerKey];
        var roll = random.Next(0, 100);
        switch (roll)
        {
            case < 82:
                request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + valid);
                return "key";
            case < 88:
                return "anonymous";
            case < 91:
                request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + (catalogue ? McpOnly : CatalogueOnly));
                return "wrong scope";
            case < 93:
                request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + valid);
                request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + valid);
                return "two headers";
            default:
                request.Headers.TryAddWithoutValidation("Authorization", Malformed(random, valid));
                return "malformed key";
        }
    }

    private static string Malformed(SeededRandom random, string valid) => random.Next(0, 12) switch
    {
        0 => "Bearer",
        1 => "Bearer " + valid.ToUpperInvariant(),
        2 => "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("user:" + valid)),
        3 => "Bearer " + valid + "=",
        4 => "Bearer " + valid[..^1],
        5 => "Bearer " + valid[..^1] + "é",
        6 => "Bearer " + new string('A', 100 * 1024),
        7 => "Bearer:" + valid, // not a tab: .NET's client re-spells "Bearer\t<key>" as "Bearer <key>" before it is sent
        8 => "Bearer " + valid + " " + valid,
        9 => "Bearer rtgf_aaaaaaaaaaaaaaaa_" + new string('A', 43),
        10 => "Bearer " + valid.Replace('_', '/'),
        _ => "Bearer " + valid[..^1] + "+",
    };

    private static async Task<string> CreateAsync(HttpClient client, string[] scopes)
    {
        using var response = await client.PostAsJsonAsync("/ops/api-keys", new { name = "robustness", owner = "tests@example.org", scopes, plan = "enterprise" });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!["key"]!.GetValue<string>();
    }
}
