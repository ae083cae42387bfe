using ModelContextProtocol.AspNetCore;
using ModelContextProtocol.Protocol;

namespace Rtgf.Functions.Mcp;

/// <summary>
/// The MCP tools API: the SDK's server with its streamable HTTP transport, stateless (any instance answers any request:
/// no session lives in memory between requests, so a scaled-out plan needs no affinity), and one tool type per area.
/// A new area's tools are one more <c>WithTools</c> here: a <c>[McpServerToolType]</c> class whose constructor takes the
/// app services it reads (docs/spec/mcp.md).
/// </summary>
internal static class McpServices
{
    public const string ServerName = "rtgf";

    public static IServiceCollection AddRtgfMcp(this IServiceCollection services)
    {
        services.AddMcpServer(options =>
            {
                options.ServerInfo = new Implementation { Name = ServerName, Version = typeof(McpServices).Assembly.GetName().Version?.ToString(3) ?? "0.0.0" };
                options.ServerInstructions =
                    "Tools over the RTGF registry of signed reference tokens. Every answer names the signed token or status list that asserts it, " +
                    "so a client can check it without trusting this server (docs/spec/mcp.md).";
            })
            .WithHttpTransport(transport => transport.SessionMode = HttpServerSessionMode.Stateless)
            .WithRequestFilters(filters => filters.AddCallToolFilter(ToolArguments.Filter))
            .WithTools<VerifierTools>()
            .WithTools<RevocationTools>()
            .WithTools<CatalogueTools>(CatalogueTools.Json);
        services.AddSingleton<McpStreamableHttp>();
        return services;
    }
}
