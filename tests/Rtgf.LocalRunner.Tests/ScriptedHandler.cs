using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Rtgf.CustomHandler.Invocation;
using Rtgf.CustomHandler.Metadata;
using Rtgf.Testing;

namespace Rtgf.LocalRunner.Tests;

/// <summary>A handler that answers invocations from a script, for testing the runner's host side alone.</summary>
internal static class ScriptedHandler
{
    public static ScriptedHttpHandler Succeed(this ScriptedHttpHandler handler, string outputs = "{}") =>
        handler.Respond(HttpStatusCode.OK, $"{{\"Outputs\":{outputs},\"Logs\":[],\"ReturnValue\":null}}", ("Content-Type", "application/json"));

    public static ScriptedHttpHandler Fail(this ScriptedHttpHandler handler) =>
        handler.Respond(HttpStatusCode.InternalServerError, "{\"title\":\"The function failed\"}", ("Content-Type", "application/problem+json"));

    /// <summary>The envelopes the runner sent, parsed by the handler library as the handler would.</summary>
    public static IReadOnlyList<InvocationRequest> Envelopes(this ScriptedHttpHandler handler) =>
        [.. handler.Requests.Select(r => InvocationRequest.Parse(JsonSerializer.Deserialize<JsonElement>(r.Body)))];

    public static FunctionMetadata Function(string name, params string[] bindings) =>
        FunctionMetadata.Parse(name, $"{{\"bindings\":[{string.Join(',', bindings)}]}}");

    public static JsonObject Json(this CapturedRequest request) => JsonNode.Parse(request.Body)!.AsObject();
}
