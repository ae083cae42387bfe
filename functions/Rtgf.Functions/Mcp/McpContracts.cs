using System.Text.Json;

namespace Rtgf.Functions.Mcp;

/// <summary>A JSON-RPC 2.0 request or notification (no id) as <c>POST /mcp</c> takes it (documentation shape for OpenAPI; the SDK reads the body).</summary>
internal sealed record McpMessage(string Jsonrpc, string Method, JsonElement? Id = null, JsonElement? Params = null);

/// <summary>A JSON-RPC error response, as the SDK writes it for a request it refuses (documentation shape for OpenAPI).</summary>
internal sealed record McpError(string Jsonrpc, JsonElement? Id, McpErrorDetail Error);

/// <summary>The <c>error</c> member of a JSON-RPC error response.</summary>
internal sealed record McpErrorDetail(int Code, string Message);
