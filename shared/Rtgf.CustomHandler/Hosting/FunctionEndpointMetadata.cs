using Rtgf.CustomHandler.Catalog;

namespace Rtgf.CustomHandler.Hosting;

/// <summary>Marks an endpoint with the catalogue function whose route reaches it.</summary>
public sealed record FunctionEndpointMetadata(FunctionDefinition Function);

/// <summary>Marks the <c>POST /{name}</c> endpoints that take invocation envelopes from the host.</summary>
public sealed record InvocationEndpointMetadata(FunctionDefinition Function);

/// <summary>Marks the readiness endpoint (<c>GET /</c>) the host polls while starting the handler.</summary>
public sealed record ReadinessEndpointMetadata;
