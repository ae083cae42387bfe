using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Rtgf.Functions.Composition;
using Rtgf.Functions.Functions;
using Rtgf.Functions.Http;
using Rtgf.Functions.OpenApi;
using Rtgf.Functions.Workers;

namespace Rtgf.Functions;

/// <summary>
/// The whole app on a <see cref="FunctionsApplicationBuilder"/>: the ASP.NET Core integration, the worker middleware and
/// every service the functions need. Program.cs calls it; tests call it too, then replace services, so both run the
/// same composition.
/// </summary>
public static class RtgfApp
{
    public static FunctionsApplicationBuilder Configure(FunctionsApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);

        // HTTP functions take HttpRequest and return IResult; the integration's middleware runs first, so ours (registered
        // after it) runs inside it, writes each result itself and answers any failure (writing the result included) with a Problem.
        builder.ConfigureFunctionsWebApplication();
        builder.UseMiddleware<HttpProblemMiddleware>();

        // HTTP functions' CancellationToken also fires when the client disconnects.
        builder.Services.Configure<WorkerOptions>(options => options.InputConverters.RegisterAt<RequestAbortedConverter>(0));

        // Problem results write through IProblemDetailsService when there is one: it adds traceId (as on main).
        builder.Services.AddProblemDetails();

        builder.Services.TryAddSingleton(AppClock.System);
        builder.Services.AddSingleton(FunctionIndex.ForApp());
        builder.Services.AddSingleton<OpenApiDocuments>();
        builder.AddRtgfPlatform();
        builder.AddRtgfApis();
        builder.AddIngestWorkers();
        builder.AddPipelineStages();
        return builder;
    }
}
