using Rtgf.CustomHandler.Catalog;
using Rtgf.CustomHandler.Hosting;
using Rtgf.Functions.Endpoints;
using Rtgf.Functions.Workers;

namespace Rtgf.Functions;

/// <summary>
/// The function catalogue: every function of the app, in one list. Each HTTP area declares its function
/// next to its endpoints; timers and queue handlers arrive with the pipeline stages that need them.
/// </summary>
internal static class RtgfFunctions
{
    public static IReadOnlyList<FunctionDefinition> HttpAreas { get; } =
    [
        RegistryEndpoints.Function,
        TokenEndpoints.Function,
        CatalogEndpoints.Function,
        LogEndpoints.Function,
        VerifierEndpoints.Function,
        RevocationEndpoints.Function,
        PublicApiEndpoints.Function,
        OperationsEndpoints.Function,
        BillingEndpoints.Function,
        McpEndpoints.Function,
        OpenApiEndpoints.Function,
    ];

    public static WebApplicationBuilder AddRtgfFunctions(this WebApplicationBuilder builder)
    {
        foreach (var area in HttpAreas)
        {
            builder.Services.AddHttpFunction(area);
        }

        builder.AddIngestWorkers();
        builder.AddPipelineStages();
        return builder;
    }
}
