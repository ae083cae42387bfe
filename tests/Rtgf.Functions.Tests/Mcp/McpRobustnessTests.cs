using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace Rtgf.Functions.Tests.Mcp;

/// <summary>
/// Generated malformed and adversarial MCP messages: broken envelopes, odd ids and methods, tool calls with arguments of
/// every wrong shape, unicode and injection strings, deep nesting, raw bytes. Variations come from a counter and SHA-256
/// (no randomness), so every run sends the same requests. Never a 5xx; a 200 always carries one JSON-RPC answer; the app
/// answers afterwards.
/// </summary>
[Collection(McpWorld.Name)]
public sealed class McpRobustnessTests(McpFixture mcp)
{
    private const int Requests = 3000;

    private static readonly string[] Strings =
    [
        "", " ", "null", "' OR 1=1 --", "<script>alert(1)</script>", "../../etc/passwd", "%00", "\u0000", "\ud83d\ude00", "é\u0301",
        "\u202e", "{{token}}", "${jndi:ldap://x}", new string('a', 5000), "0000000000000000000000000000000000000000000000000000000000000000",
        "eyJhbGciOiJFUzI1NiJ9.e30.AAAA", "a.b.c", "2026-01-01T00:00:00Z", "9999-12-31T23:59:59Z", "-1",
    ];

    private static readonly string[] Values =
    [
        "null", "true", "0", "-1", "1.5", "1e400", "9223372036854775808", "[]", "{}", "[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]", "\"x\"",
    ];

    private static readonly string[] Tools = ["search_components", "get_component", "get_rto", "rto_scope", "component_providers"];

    private static readonly string[] Arguments = ["text", "code", "type", "status", "state", "current", "limit", "cursor"];

    private static readonly string[] Methods =
    [
        "tools/call", "tools/list", "initialize", "ping", "server/discover", "resources/list", "prompts/get", "logging/setLevel",
        "notifications/initialized", "", "TOOLS/CALL", "tools/call/../list", "rpc.discover",
    ];

    [Fact]
    public async Task GeneratedMessages_AreNeverServerErrors()
    {
        using var client = mcp.CreateClient();
        var failures = new List<string>();
        var statuses = new Dictionary<int, int>();
        for (var i = 0; i < Requests; i++)
        {
            if (i % 500 == 499)
            {
                // The enterprise plan's burst is 1000 on a clock that stands still: let it refill (100 a second) so no request is a 429.
                mcp.World.Clock.Advance(TimeSpan.FromSeconds(10));
            }

            var (body, protocol) = Build(i);
            using var request = new HttpRequestMessage(HttpMethod.Post, "/mcp") { Content = new ByteArrayContent(body) };
            request.Content.Headers.ContentType = new("application/json");
            request.Headers.Accept.ParseAdd("application/json, text/event-stream");
            if (protocol is not null)
            {
                request.Headers.TryAddWithoutValidation("MCP-Protocol-Version", protocol);
            }

            using var response = await client.SendAsync(request);
            var status = (int)response.StatusCode;
            statuses[status] = statuses.GetValueOrDefault(status) + 1;
            var text = await response.Content.ReadAsStringAsync();
            if (status is >= 500 or 429)
            {
                failures.Add($"#{i} {Truncate(Encoding.UTF8.GetString(body))} -> {status}: {Truncate(text)}");
            }
            else if (status == 200 && !OneJsonRpcAnswer(text))
            {
                failures.Add($"#{i} {Truncate(Encoding.UTF8.GetString(body))} -> 200 without one JSON-RPC answer: {Truncate(text)}");
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures.Take(20)));
        Assert.True(statuses.ContainsKey(200) && statuses.Keys.Any(s => s is >= 400 and < 500), string.Join(", ", statuses.Select(s => $"{s.Key}: {s.Value}")));
        using var health = await client.GetAsync(new Uri("/mcp", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }

    private (byte[] Body, string? Protocol) Build(int i)
    {
        var h = SHA256.HashData(BitConverter.GetBytes(i));
        string Pick(string[] from, int at) => from[h[at] % from.Length];
        string Quoted(string text) => JsonValue.Create(text)!.ToJsonString();
        var id = (h[1] % 4) switch { 0 => i.ToString(CultureInfo.InvariantCulture), 1 => Quoted("r" + i.ToString(CultureInfo.InvariantCulture)), 2 => Pick(Values, 2), _ => "" };
        var idMember = id.Length == 0 ? "" : $"\"id\":{id},";
        var argument = (h[3] % 2) == 0 ? Quoted(Pick(Strings, 4)) : Pick(Values, 4);
        var tool = (h[5] % 5) switch { 0 => "verify_token", 1 => "revocation_status", 2 => Pick(Strings, 6), 3 => Pick(Tools, 24), _ => "no_such_tool" };
        var name = (h[7] % 6) switch { 0 => "token", 1 => "tokenId", 2 => "at", 3 => "logIndex", 4 => Pick(Arguments, 25), _ => Pick(Strings, 8) };
        var arguments = (h[9] % 5) switch
        {
            0 => $"{{{Quoted(name)}:{argument}}}",
            1 => $"{{\"token\":{Quoted(mcp.Tokens[h[10] % mcp.Tokens.Count].Jws)},{Quoted(name)}:{argument}}}",
            2 => $"{{\"tokenId\":{Quoted(mcp.Tokens[h[10] % mcp.Tokens.Count].TokenId)},{Quoted(name)}:{argument}}}",
            3 when h[26] % 2 == 0 => $"{{\"code\":{Quoted(mcp.Tokens[h[10] % mcp.Tokens.Count].Subject.Split(':')[^1])},\"text\":{Quoted(Pick(Strings, 27))},{Quoted(name)}:{argument}}}",
            3 => Pick(Values, 11),
            _ => "{}",
        };
        var json = (h[12] % 8) switch
        {
            0 or 1 or 2 => $"{{\"jsonrpc\":\"2.0\",{idMember}\"method\":\"tools/call\",\"params\":{{\"name\":{Quoted(tool)},\"arguments\":{arguments}}}}}",
            3 => $"{{\"jsonrpc\":\"2.0\",{idMember}\"method\":{Quoted(Pick(Methods, 13))},\"params\":{Pick(Values, 14)}}}",
            4 => $"{{\"jsonrpc\":{Pick(Values, 15)},{idMember}\"method\":{Quoted(Pick(Methods, 16))}}}",
            5 => $"{{\"jsonrpc\":\"2.0\",{idMember}\"method\":\"tools/call\",\"params\":{{\"name\":{Quoted(tool)},\"arguments\":{arguments},\"_meta\":{Pick(Values, 17)}}}}}",
            6 => Pick(Values, 18),
            _ => $"{{\"jsonrpc\":\"2.0\",{idMember}\"method\":{Quoted(Pick(Methods, 19))},\"params\":{{\"name\":{Quoted(tool)}}}}}",
        };
        var body = Encoding.UTF8.GetBytes(json);
        switch (h[20] % 10)
        {
            case 0:
                body = body[..(h[21] % (body.Length + 1))]; // truncated
                break;
            case 1:
                body = [.. body.Take(h[21] % (body.Length + 1)), .. h.Take(8), .. body.Skip(h[21] % (body.Length + 1))]; // raw bytes spliced in
                break;
        }

        var protocol = (h[22] % 4) switch { 0 => null, 1 => "2025-11-25", 2 => "2026-07-28", _ => Pick(Strings, 23) };
        return (body, protocol);
    }

    /// <summary>One server-sent event whose data is a JSON-RPC response or error.</summary>
    private static bool OneJsonRpcAnswer(string stream)
    {
        var data = stream.Split('\n').Where(l => l.StartsWith("data:", StringComparison.Ordinal)).ToList();
        if (data.Count != 1)
        {
            return false;
        }

        var message = JsonNode.Parse(data[0]["data:".Length..]) as JsonObject;
        return message is not null && (message.ContainsKey("result") || message.ContainsKey("error"));
    }

    private static string Truncate(string text) => text.Length <= 200 ? text : text[..200] + "…";
}
