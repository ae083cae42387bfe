using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Unicode;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Net.Http.Headers;
using Rtgf.Functions.Http;

namespace Rtgf.Functions.Mcp;

/// <summary>
/// The SDK's streamable HTTP POST handler, run inside the <c>POST /mcp</c> function on the request's own
/// <see cref="HttpContext"/>. A Functions app runs no endpoint routing, so the handler is taken from the endpoint the SDK's
/// <c>MapMcp</c> declares (its public way of exposing the handler) and invoked directly: no route matching, so the host's
/// route prefix does not matter. The handler writes the whole response itself (an SSE event with the JSON-RPC answer, a
/// 202 for a notification, or a JSON-RPC error with a 4xx); the function then returns <see cref="Results.Empty"/> so
/// nothing writes a second response. The body is read here first: one that is not <c>application/json</c> or is over
/// <see cref="MaxBodyBytes"/> is a Problem before the SDK sees it, and the shapes the SDK itself fails on are refused
/// (<see cref="Refuse"/>).
/// </summary>
public sealed class McpStreamableHttp(IServiceProvider services)
{
    /// <summary>The largest JSON-RPC message accepted: a tool call carrying a token of the verifier's own limit, with room for the envelope.</summary>
    public const int MaxBodyBytes = 128 * 1024;

    /// <summary>JSON-RPC's code for params that do not fit the method.</summary>
    public const int InvalidParams = -32602;

    /// <summary>JSON-RPC's code for a body that cannot be parsed.</summary>
    public const int ParseError = -32700;

    private readonly Lazy<Endpoint> _post = new(() => FindPostEndpoint(services));

    public async Task<IResult> HandlePostAsync(HttpContext http)
    {
        var request = http.Request;
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var mediaType) ||
            !mediaType.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase))
        {
            return ApiProblem.UnsupportedMediaType($"Send one JSON-RPC message as application/json, not '{request.ContentType ?? "(none)"}'.");
        }

        if (request.ContentLength > MaxBodyBytes)
        {
            return ApiProblem.PayloadTooLarge($"The body is {request.ContentLength} bytes; /mcp accepts at most {MaxBodyBytes}.");
        }

        var body = await RequestBody.ReadCappedAsync(request.Body, MaxBodyBytes, http.RequestAborted).ConfigureAwait(false);
        if (body is null)
        {
            return ApiProblem.PayloadTooLarge($"The body is larger than {MaxBodyBytes} bytes, the most /mcp accepts.");
        }

        if (Refuse(body) is { } refused)
        {
            return refused;
        }

        // The SDK reads the body again, from the bytes already read.
#pragma warning disable CA2000 // disposed of with the response (RegisterForDispose)
        var replay = new MemoryStream(body, writable: false);
#pragma warning restore CA2000
        http.Response.RegisterForDispose(replay);
        request.Body = replay;
        request.ContentLength = body.Length;

        var endpoint = _post.Value;
        var previous = http.GetEndpoint();
        http.SetEndpoint(endpoint);
        try
        {
            await endpoint.RequestDelegate!(http).ConfigureAwait(false);
        }
        finally
        {
            http.SetEndpoint(previous);
        }

        return Results.Empty;
    }

    /// <summary>
    /// <c>GET /mcp</c> asking for an event stream: a stateless server keeps no stream to send unsolicited messages on, so
    /// the transport's answer is 405 (the client then works by POST alone).
    /// </summary>
    public static bool WantsEventStream(HttpRequest request) =>
        request.GetTypedHeaders().Accept.Any(a => a.MediaType.Equals("text/event-stream", StringComparison.OrdinalIgnoreCase));

    public static ProblemHttpResult NoEventStream(HttpContext http)
    {
        http.Response.Headers.Allow = HttpMethods.Post;
        return TypedResults.Problem(
            title: "No event stream",
            detail: "This MCP server is stateless: it keeps no stream for unsolicited messages. Send JSON-RPC messages by POST /mcp; each answer comes on its own response.",
            statusCode: StatusCodes.Status405MethodNotAllowed,
            type: ProblemTypes.InvalidRequest);
    }

    /// <summary>
    /// Refuses, as a 400 JSON-RPC error like the SDK's own refusals, the bodies the SDK would fail on with an exception
    /// (a 500) or answer as an internal error that names no cause: a body that is not UTF-8 (-32700; the SDK's reader
    /// finds it only when it reads a string), <c>initialize</c> params that are not
    /// <c>{protocolVersion, capabilities, clientInfo: {name, version}}</c> (-32602; the SDK's stateless transport reads
    /// them unguarded), and <c>tools/call</c> params that are not <c>{name, arguments?: object}</c> (-32602; the SDK
    /// answers -32603 "An error occurred"). Other bodies that are not JSON or not JSON-RPC are the SDK's to refuse.
    /// </summary>
    internal static IResult? Refuse(byte[] body)
    {
        if (!Utf8.IsValid(body))
        {
            return JsonRpcError(null, ParseError, "Parse error: the body is not valid UTF-8.");
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = 64 });
        }
        catch (JsonException)
        {
            return null;
        }

        using (document)
        {
            var message = document.RootElement;
            if (message.ValueKind != JsonValueKind.Object ||
                !message.TryGetProperty("method", out var method) || method.ValueKind != JsonValueKind.String ||
                !message.TryGetProperty("id", out var id) || id.ValueKind is not (JsonValueKind.String or JsonValueKind.Number))
            {
                return null;
            }

            var parameters = message.TryGetProperty("params", out var p) ? p : default;
            return method.GetString() switch
            {
                "tools/call" when !(parameters.ValueKind == JsonValueKind.Object && IsString(parameters, "name") && IsOptionalObject(parameters, "arguments")) =>
                    JsonRpcError(id, InvalidParams, "Invalid params: tools/call takes params {\"name\": a tool name, \"arguments\": an object of the tool's arguments}."),
                "initialize" when !(parameters.ValueKind == JsonValueKind.Object && IsString(parameters, "protocolVersion") &&
                                    parameters.TryGetProperty("capabilities", out var capabilities) && capabilities.ValueKind == JsonValueKind.Object &&
                                    parameters.TryGetProperty("clientInfo", out var client) && client.ValueKind == JsonValueKind.Object &&
                                    IsString(client, "name") && IsString(client, "version")) =>
                    JsonRpcError(id, InvalidParams, "Invalid params: initialize takes params {\"protocolVersion\", \"capabilities\": {…}, \"clientInfo\": {\"name\", \"version\"}}."),
                _ => null,
            };
        }
    }

    private static bool IsString(JsonElement element, string name) =>
        element.TryGetProperty(name, out var member) && member.ValueKind == JsonValueKind.String;

    private static bool IsOptionalObject(JsonElement element, string name) =>
        !element.TryGetProperty(name, out var member) || member.ValueKind is JsonValueKind.Object or JsonValueKind.Null;

    private static IResult JsonRpcError(JsonElement? id, int code, string message) =>
        Results.Json(
            new JsonObject
            {
                ["jsonrpc"] = "2.0",
                ["id"] = id is { } value ? JsonNode.Parse(value.GetRawText()) : null,
                ["error"] = new JsonObject { ["code"] = code, ["message"] = message },
            },
            statusCode: StatusCodes.Status400BadRequest);

    private static Endpoint FindPostEndpoint(IServiceProvider services)
    {
        var routes = new EndpointSource(services);
        routes.MapMcp();
        return routes.DataSources.SelectMany(d => d.Endpoints)
            .Single(e => e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods.Contains(HttpMethods.Post, StringComparer.OrdinalIgnoreCase) == true);
    }

    /// <summary>Collects the endpoints <c>MapMcp</c> declares, without a router.</summary>
    private sealed class EndpointSource(IServiceProvider services) : IEndpointRouteBuilder
    {
        public IServiceProvider ServiceProvider => services;

        public ICollection<EndpointDataSource> DataSources { get; } = [];

        public IApplicationBuilder CreateApplicationBuilder() => new ApplicationBuilder(services);
    }
}
