using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Rtgf.Functions.Functions;
using Rtgf.Functions.Mcp;

namespace Rtgf.Functions.Endpoints;

/// <summary>
/// The MCP tools API (docs/spec/mcp.md): streamable HTTP, stateless, anonymous at the host (the app checks its own API
/// keys, scope <c>mcp</c>, before these run). <c>POST /mcp</c> carries JSON-RPC messages to the SDK's handler;
/// <c>GET /mcp</c> describes the area, except that a GET asking for an event stream (an MCP client's optional stream of
/// unsolicited messages) is a 405: a stateless server has none. <c>DELETE /mcp</c> (ending a session) is not served, so
/// the host answers 405: there are no sessions to end.
/// </summary>
public sealed class McpFunctions(FunctionIndex index, McpStreamableHttp mcp)
{
    [Function(nameof(DescribeMcp))]
    [Tags("mcp"), EndpointSummary("Describe the mcp area"), EndpointDescription("The MCP tools API: streamable HTTP, stateless (the app's own API keys with scope mcp; no host key)")]
    [ProducesResponseType<AreaDescription>(StatusCodes.Status200OK, "application/json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status405MethodNotAllowed, "application/problem+json")]
    public IResult DescribeMcp([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "mcp")] HttpRequest request) =>
        McpStreamableHttp.WantsEventStream(request)
            ? McpStreamableHttp.NoEventStream(request.HttpContext)
            : AreaIndex.Describe(index, nameof(DescribeMcp));

    [Function(nameof(CallMcp))]
    [Tags("mcp"), EndpointSummary("Send one MCP JSON-RPC message (initialize, tools/list, tools/call, …); the answer is one server-sent event")]
    [Consumes(typeof(McpMessage), "application/json")]
    [ProducesResponseType<string>(StatusCodes.Status200OK, "text/event-stream")]
    [ProducesResponseType(StatusCodes.Status202Accepted)]
    [ProducesResponseType<McpError>(StatusCodes.Status400BadRequest, "application/json")]
    [ProducesResponseType<McpError>(StatusCodes.Status406NotAcceptable, "application/json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status413PayloadTooLarge, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status415UnsupportedMediaType, "application/problem+json")]
    public async Task<IResult> CallMcp([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "mcp")] HttpRequest request) =>
        await mcp.HandlePostAsync(request.HttpContext).ConfigureAwait(false);
}
