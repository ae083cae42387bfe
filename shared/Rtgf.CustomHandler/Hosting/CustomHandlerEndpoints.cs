using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Rtgf.CustomHandler.Catalog;
using Rtgf.CustomHandler.Metadata;

namespace Rtgf.CustomHandler.Hosting;

/// <summary>Middleware and endpoints that answer the Functions host.</summary>
public static class CustomHandlerEndpoints
{
    private const string WriteMetadataOption = "--write-function-metadata";

    /// <summary>
    /// Problem Details for every error (unhandled exceptions become 500s without stack traces, bare status
    /// codes get a body), and one structured log line per invocation.
    /// </summary>
    public static WebApplication UseCustomHandler(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseMiddleware<InvocationLogging>();
        return app;
    }

    /// <summary>
    /// <c>GET /</c> answers at once (the host polls it until the handler is ready), and each function the
    /// host invokes with envelopes gets <c>POST /{name}</c>.
    /// </summary>
    public static IEndpointRouteBuilder MapCustomHandler(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.MapGet("/", () => TypedResults.Text("ready", "text/plain"))
            .WithMetadata(new ReadinessEndpointMetadata())
            .ExcludeFromDescription();

        var catalog = endpoints.ServiceProvider.GetRequiredService<FunctionCatalog>();
        foreach (var function in catalog.Where(f => f.ReceivesEnvelopes))
        {
            endpoints.MapPost("/" + function.Name, (HttpContext http, CustomHandlerOptions options, Microsoft.Extensions.Logging.ILogger<Invocation.FunctionContext> logger) =>
                    InvocationEndpoint.InvokeAsync(http, function, options, logger))
                .WithMetadata(new FunctionEndpointMetadata(function), new InvocationEndpointMetadata(function))
                .WithName("invoke-" + function.Name)
                .ExcludeFromDescription();
        }

        return endpoints;
    }

    /// <summary>
    /// The route group of a forwarded HTTP function: its path prefix (<c>verify/{*path}</c> gives
    /// <c>/verify</c>), tagged with the function so its requests are logged under it.
    /// </summary>
    public static RouteGroupBuilder MapFunction(this IEndpointRouteBuilder endpoints, FunctionDefinition function)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentNullException.ThrowIfNull(function);
        if (function is not { IsForwardedHttp: true, Trigger: HttpTrigger http })
        {
            throw new ArgumentException($"'{function.Name}' is not a forwarded HTTP function.", nameof(function));
        }

        var catalog = endpoints.ServiceProvider.GetRequiredService<FunctionCatalog>();
        if (!catalog.TryGet(function.Name, out var registered) || registered != function)
        {
            throw new InvalidOperationException($"Function '{function.Name}' is mapped but not registered: call AddHttpFunction with the same definition.");
        }

        return endpoints.MapGroup(http.PathPrefix)
            .WithMetadata(new FunctionEndpointMetadata(function))
            .WithTags(function.Name);
    }

    /// <summary>
    /// Serves the host; or, with <c>--write-function-metadata &lt;dir&gt;</c> (used by the build), checks that the
    /// catalogue and the endpoints agree and writes one <c>function.json</c> folder per function into the directory.
    /// </summary>
    public static int RunCustomHandler(this WebApplication app, string[] args)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(args);
        var option = Array.IndexOf(args, WriteMetadataOption);
        if (option < 0)
        {
            app.Run();
            return 0;
        }

        if (option + 1 >= args.Length)
        {
            Console.Error.WriteLine($"{WriteMetadataOption} needs a directory.");
            return 2;
        }

        var catalog = app.Services.GetRequiredService<FunctionCatalog>();
        var endpoints = ((IEndpointRouteBuilder)app).DataSources.SelectMany(d => d.Endpoints);
        var problems = CatalogCoverage.Check(catalog, endpoints);
        if (problems.Count > 0)
        {
            Console.Error.WriteLine("The function catalogue and the endpoints disagree:" + Environment.NewLine + string.Join(Environment.NewLine, problems.Select(p => "  - " + p)));
            return 1;
        }

        var written = FunctionMetadataWriter.Write(catalog, args[option + 1]);
        Console.WriteLine($"Wrote {written.Count} function.json folders to {args[option + 1]}");
        return 0;
    }
}
