using Microsoft.AspNetCore.Http.HttpResults;
using Rtgf.CustomHandler.Catalog;
using Rtgf.CustomHandler.Hosting;

namespace Rtgf.Functions.Endpoints;

/// <summary>One binding of a function, with its app-setting references resolved against this deployment's settings.</summary>
public sealed record FunctionBindingView(string Name, string Type, string? Value, string? ResolvedValue);

/// <summary>A function as deployed: trigger, outputs, and any setting it references that is missing.</summary>
public sealed record FunctionView(string Name, FunctionBindingView Trigger, IReadOnlyList<FunctionBindingView> Outputs, IReadOnlyList<string> MissingSettings);

/// <summary>
/// The operator surface (<c>/ops</c>, admin key). <c>/admin</c> and <c>/runtime</c> are reserved by the
/// Functions host, so the area lives under <c>/ops</c>.
/// </summary>
internal static class OperationsEndpoints
{
    public static FunctionDefinition Function { get; } =
        FunctionDefinition.Http("operations", "ops/{*path}", AuthorizationLevel.Admin, "get", "post");

    public static RouteGroupBuilder MapOperationsEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapFunction(Function);
        group.MapAreaIndex(Function, "Operator views and actions (admin key)");
        group.MapGet("/functions", GetFunctions)
            .WithName("GetFunctions")
            .WithSummary("List the function catalogue with schedules and queues resolved from app settings");
        return group;
    }

    internal static Ok<IReadOnlyList<FunctionView>> GetFunctions(FunctionCatalog catalog, IConfiguration configuration)
    {
        IReadOnlyList<FunctionView> views = [.. catalog.Select(f => new FunctionView(
            f.Name,
            View(f.Trigger.BindingName, f.Trigger.BindingType, TriggerValue(f.Trigger), configuration),
            [.. f.Outputs.Select(o => View(o.Name, o.BindingType, OutputValue(o), configuration))],
            [.. f.ReferencedSettings.Where(s => string.IsNullOrEmpty(configuration[s]))]))];
        return TypedResults.Ok(views);
    }

    private static string? TriggerValue(FunctionTrigger trigger) => trigger switch
    {
        TimerTrigger t => t.Schedule,
        IQueueBinding t => t.QueueName,
        HttpTrigger t => t.Route,
        _ => null,
    };

    private static string? OutputValue(OutputBinding output) => (output as IQueueBinding)?.QueueName;

    private static FunctionBindingView View(string name, string type, string? value, IConfiguration configuration)
    {
        var resolved = value;
        foreach (var setting in value is null ? [] : FunctionDefinition.SettingReferences(value))
        {
            resolved = configuration[setting] is { Length: > 0 } v ? resolved!.Replace($"%{setting}%", v, StringComparison.Ordinal) : null;
            if (resolved is null)
            {
                break;
            }
        }

        return new FunctionBindingView(name, type, value, resolved);
    }
}
