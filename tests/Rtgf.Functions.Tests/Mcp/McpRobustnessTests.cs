using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Rtgf.Functions.Tests.Robustness;

namespace Rtgf.Functions.Tests.Mcp;

/// <summary>
/// Generated malformed and adversarial MCP messages: broken envelopes, odd ids and methods, tool calls with arguments of
/// every wrong shape, unicode and injection strings, deep nesting, raw bytes. Variations come from a counter and SHA-256
/// (no randomness), so every run sends the same requests. Never a 5xx; a 200 always carries one JSON-RPC answer; the app
/// answers afterwards. Sent and checked as the other generated tests are (<see cref="AnswerLedger"/>: also every 4xx is a
/// Problem or a JSON-RPC error).
/// </summary>
[Collection(McpWorld.Name)]
public sealed class McpRobustnessTests(McpFixture mcp)
{
    private const int Requests = 3000;

    /// <summary>The shared hostile strings, and values shaped like this API's own (ids, tokens, instants).</summary>
    private static readonly string[] Strings =
    [
        "", " ", "null", "%00", "{{token}}", new string('a', 5000), "0000000000000000000000000000000000000000000000000000000000000000",
        "eyJhbGciOiJFUzI1NiJ9.e30.AAAA", "a.b.c", "2026-01-01T00:00:00Z", "9999-12-31T23:59:59Z", "-1",
        .. HostileInput.Unicode, .. HostileInput.Injections,
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
        var ledger = new AnswerLedger();
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

            await ledger.SendAsync(client, request, "mcp", RefusalShape.ProblemOrJsonRpcError, $"#{i} {Encoding.UTF8.GetString(body)}");
        }

        var statuses = ledger.Statuses("mcp");
        Assert.True(ledger.Failures.Count == 0, string.Join("\n", ledger.Failures.Take(20)));
        Assert.False(statuses.ContainsKey(429), ledger.Summary());
        Assert.True(statuses.ContainsKey(200) && statuses.Keys.Any(s => s is >= 400 and < 500), ledger.Summary());
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
}
