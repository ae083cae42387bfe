using System.Globalization;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Rtgf.Functions.Access;
using Rtgf.Functions.Billing;
using Rtgf.Functions.Billing.QuickBooks;
using Rtgf.Functions.Composition;
using Rtgf.Functions.Functions;
using Rtgf.Functions.Http;
using Rtgf.Functions.Mcp;
using Rtgf.Functions.OpenApi;
using Rtgf.Functions.Traffic;
using Rtgf.Functions.Waitlist;
using Rtgf.Functions.Workers;

namespace Rtgf.Functions;

/// <summary>
/// The whole app on a <see cref="FunctionsApplicationBuilder"/>: the ASP.NET Core integration, the worker middleware and
/// every service the functions need. Program.cs calls it; tests call it too, then replace services, so both run the
/// same composition.
/// </summary>
public static class RtgfApp
{
    /// <summary>The host's setting for the largest request body it forwards (host <c>EnvironmentSettingNames.FunctionsRequestBodySizeLimit</c>).</summary>
    public const string RequestBodySizeLimitSetting = "FUNCTIONS_REQUEST_BODY_SIZE_LIMIT";

    /// <summary>The host's default for that limit: 100 MB (host <c>ScriptConstants.DefaultMaxRequestBodySize</c>).</summary>
    public const long DefaultRequestBodySizeLimit = 104_857_600;

    public static FunctionsApplicationBuilder Configure(FunctionsApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);

        // HTTP functions take HttpRequest and return IResult; the integration's middleware runs first, so ours (registered
        // after it) runs inside it, writes each result itself and answers any failure (writing the result included) with a Problem.
        builder.ConfigureFunctionsWebApplication();
        builder.AddRtgfTelemetry(); // outermost of ours: spans, queue trace context and each function's golden signals
        builder.AddTraffic(); // outside the problem and access middleware: records the status the client got (docs/spec/operations.md#traffic)
        builder.UseMiddleware<HttpProblemMiddleware>();
        builder.AddApiAccess(); // inside the problem middleware: keys, plans, limits and the abuse list on /v1 and /mcp

        // The host forwards bodies up to its own limit; the worker's Kestrel would cut them at ASP.NET Core's 30,000,000
        // bytes with a bare 413 first. Kestrel takes the host's limit; each function's own, smaller limit (JsonBody) still
        // refuses a bigger body with a 413 problem.
        var bodyLimit = MaxRequestBodySize(builder.Configuration);
        builder.Services.Configure<KestrelServerOptions>(kestrel => kestrel.Limits.MaxRequestBodySize = bodyLimit);

        // HTTP functions' CancellationToken also fires when the client disconnects.
        builder.Services.Configure<WorkerOptions>(options => options.InputConverters.RegisterAt<RequestAbortedConverter>(0));

        // Problem results write through IProblemDetailsService when there is one: it adds traceId (as on main).
        builder.Services.AddProblemDetails();

        builder.Services.TryAddSingleton(AppClock.System);
        builder.Services.AddSingleton(FunctionIndex.ForApp());
        builder.Services.AddSingleton<OpenApiDocuments>();
        builder.AddRtgfPlatform();
        builder.AddRtgfApis();
        builder.AddRegister();
        builder.Services.AddRtgfMcp();
        builder.AddIngestWorkers();
        builder.AddPipelineStages();
        builder.AddWebhooks(); // after the pipeline stages: the inbox sends through their IDelayedQueueSender
        builder.AddComms(); // after the pipeline stages: the outbox sends through their IDelayedQueueSender
        builder.AddBilling();
        builder.AddWaitlist(); // after the comms outbox and the access services: it sends through one and counts in the other
        builder.AddQuickBooks();
        builder.AddAudit();
        builder.AddBackups();
        builder.AddArchives();
        return builder;
    }

    /// <summary>
    /// The host's request body limit: <see cref="RequestBodySizeLimitSetting"/> when it is a number, else the default, as
    /// the host reads it (HttpRequestBodySizeMiddleware: <c>long.TryParse</c>, the default otherwise).
    /// </summary>
    internal static long MaxRequestBodySize(IConfiguration configuration) =>
        long.TryParse(configuration[RequestBodySizeLimitSetting], NumberStyles.Integer, CultureInfo.InvariantCulture, out var limit) && limit > 0
            ? limit
            : DefaultRequestBodySizeLimit;
}
