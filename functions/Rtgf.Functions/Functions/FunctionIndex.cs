using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.Azure.Functions.Worker;

namespace Rtgf.Functions.Functions;

/// <summary>One output binding of a function: a Storage queue (<c>$return</c> or a property of the return type).</summary>
internal sealed record FunctionOutput(string Name, string Type, string QueueName);

/// <summary>
/// One <c>[Function]</c> method as the Worker SDK declares it to the host: its trigger (<c>http</c>, <c>timer</c>,
/// <c>queue</c>) and binding values as written (<c>%SETTING%</c> references unresolved), for HTTP the route, methods, key
/// level, summary and area (its <c>[Tags]</c>), and its queue outputs.
/// </summary>
internal sealed record FunctionEntry(
    string Name,
    string Trigger,
    string TriggerBinding,
    string? Route,
    IReadOnlyList<string> Methods,
    string? AuthLevel,
    string? Summary,
    string? Description,
    string? Area,
    string? Schedule,
    string? QueueName,
    IReadOnlyList<FunctionOutput> Outputs,
    MethodInfo Method)
{
    /// <summary>The HTTP path as clients write it (<c>/log/tile/{*path}</c>).</summary>
    public string? Path => Route is null ? null : "/" + Route;

    /// <summary>The binding type the host knows the trigger by (<c>httpTrigger</c>, <c>timerTrigger</c>, <c>queueTrigger</c>).</summary>
    public string TriggerType => Trigger + "Trigger";

    /// <summary>The trigger's value: the route, the schedule or the queue name.</summary>
    public string? TriggerValue => Route ?? Schedule ?? QueueName;

    /// <summary>App settings this function reads through <c>%NAME%</c> references (schedules, queue names).</summary>
    public IEnumerable<string> ReferencedSettings =>
        new[] { TriggerValue }.Concat(Outputs.Select(o => o.QueueName))
            .SelectMany(v => v is null ? [] : FunctionIndex.SettingReferences(v))
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal);
}

/// <summary>
/// An HTTP area: the functions under one route prefix (<c>/verify</c>, <c>/ops</c>, …), named by their <c>[Tags]</c>, all
/// behind the same key level.
/// </summary>
internal sealed record ApiArea(string Name, string Path, string AuthLevel, IReadOnlyList<FunctionEntry> Functions);

/// <summary>
/// Every function of this app, read once by reflection from the same attributes the Worker SDK turns into
/// <c>functions.metadata</c>, so nothing is declared twice. It answers the discovery document's areas, the area indexes,
/// <c>GET /ops/functions</c> and the OpenAPI documents. The constructor checks what the host would only find in Azure:
/// duplicate names and routes, HTTP functions without exactly one area, areas that mix prefixes or key levels.
/// </summary>
public sealed partial class FunctionIndex
{
    private readonly Dictionary<string, FunctionEntry> _byName;

    internal FunctionIndex(IEnumerable<FunctionEntry> functions)
    {
        Functions = [.. functions.OrderBy(f => f.Name, StringComparer.Ordinal)];
        var problems = Validate(Functions);
        if (problems.Count > 0)
        {
            throw new InvalidOperationException("The functions are declared inconsistently:" + Environment.NewLine + string.Join(Environment.NewLine, problems.Select(p => "  - " + p)));
        }

        _byName = Functions.ToDictionary(f => f.Name, StringComparer.OrdinalIgnoreCase);
        Areas = [.. Functions
            .Where(f => f.Area is not null)
            .GroupBy(f => f.Area!, StringComparer.Ordinal)
            .Select(g => new ApiArea(g.Key, AreaPath(g.First()), g.First().AuthLevel!, [.. g.OrderBy(f => f.Path, StringComparer.Ordinal).ThenBy(f => f.Name, StringComparer.Ordinal)]))
            .OrderBy(a => a.Path, StringComparer.Ordinal)];
    }

    /// <summary>Every function, ordered by name.</summary>
    internal IReadOnlyList<FunctionEntry> Functions { get; }

    /// <summary>The HTTP areas, ordered by path.</summary>
    internal IReadOnlyList<ApiArea> Areas { get; }

    /// <summary>The function with this name (case-insensitive, as the host treats names).</summary>
    internal FunctionEntry this[string name] => _byName.TryGetValue(name, out var function)
        ? function
        : throw new KeyNotFoundException($"No function is named '{name}'.");

    /// <summary>The area a function belongs to.</summary>
    internal ApiArea AreaOf(string functionName) =>
        Areas.Single(a => a.Functions.Any(f => string.Equals(f.Name, functionName, StringComparison.OrdinalIgnoreCase)));

    /// <summary>The functions of this app's assembly.</summary>
    internal static FunctionIndex ForApp() => FromAssembly(typeof(FunctionIndex).Assembly);

    internal static FunctionIndex FromAssembly(Assembly assembly) =>
        new(assembly.GetTypes()
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly))
            .Where(m => m.GetCustomAttribute<FunctionAttribute>() is not null)
            .Select(Read));

    /// <summary>The <c>%NAME%</c> app-setting references in a binding value.</summary>
    internal static IEnumerable<string> SettingReferences(string value) =>
        SettingReference().Matches(value).Select(m => m.Groups["name"].Value);

    private static FunctionEntry Read(MethodInfo method)
    {
        var name = method.GetCustomAttribute<FunctionAttribute>()!.Name;
        var outputs = Outputs(method);
        foreach (var parameter in method.GetParameters())
        {
            if (parameter.GetCustomAttribute<HttpTriggerAttribute>() is { } http)
            {
                var tags = method.GetCustomAttribute<TagsAttribute>()?.Tags ?? [];
                return new FunctionEntry(
                    name, "http", parameter.Name!, http.Route ?? name,
                    [.. (http.Methods ?? []).Select(m => m.ToLowerInvariant()).Order(StringComparer.Ordinal)],
                    http.AuthLevel.ToString().ToLowerInvariant(),
                    method.GetCustomAttribute<EndpointSummaryAttribute>()?.Summary,
                    method.GetCustomAttribute<EndpointDescriptionAttribute>()?.Description,
                    tags.Count == 1 ? tags[0] : null,
                    null, null, outputs, method);
            }

            if (parameter.GetCustomAttribute<TimerTriggerAttribute>() is { } timer)
            {
                return new FunctionEntry(name, "timer", parameter.Name!, null, [], null, null, null, null, timer.Schedule, null, outputs, method);
            }

            if (parameter.GetCustomAttribute<QueueTriggerAttribute>() is { } queue)
            {
                return new FunctionEntry(name, "queue", parameter.Name!, null, [], null, null, null, null, null, queue.QueueName, outputs, method);
            }
        }

        throw new InvalidOperationException($"Function '{name}' ({method.DeclaringType?.Name}.{method.Name}) has no HTTP, timer or queue trigger.");
    }

    private static List<FunctionOutput> Outputs(MethodInfo method)
    {
        var outputs = new List<FunctionOutput>();
        if (method.GetCustomAttribute<QueueOutputAttribute>() is { } returned)
        {
            outputs.Add(new FunctionOutput("$return", "queue", returned.QueueName));
        }

        var type = method.ReturnType;
        if (type.IsGenericType && type.GetGenericTypeDefinition() is var generic && (generic == typeof(Task<>) || generic == typeof(ValueTask<>)))
        {
            type = type.GetGenericArguments()[0];
        }

        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).OrderBy(p => p.Name, StringComparer.Ordinal))
        {
            if (property.GetCustomAttribute<QueueOutputAttribute>() is { } output)
            {
                outputs.Add(new FunctionOutput(property.Name, "queue", output.QueueName));
            }
        }

        return outputs;
    }

    private static List<string> Validate(IReadOnlyList<FunctionEntry> functions)
    {
        var problems = new List<string>();
        foreach (var group in functions.GroupBy(f => f.Name, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1))
        {
            problems.Add($"function name '{group.Key}' is declared {group.Count()} times");
        }

        var http = functions.Where(f => f.Trigger == "http").ToList();
        foreach (var group in http.SelectMany(f => f.Methods.Select(m => (f.Name, Key: m + " " + RouteShape(f.Route!)))).GroupBy(r => r.Key, StringComparer.Ordinal).Where(g => g.Count() > 1))
        {
            problems.Add($"'{group.Key}' is served by {string.Join(", ", group.Select(r => r.Name))}");
        }

        foreach (var function in http.Where(f => f.Area is null))
        {
            problems.Add($"HTTP function '{function.Name}' needs exactly one [Tags(\"<area>\")]");
        }

        foreach (var area in http.Where(f => f.Area is not null).GroupBy(f => f.Area!, StringComparer.Ordinal))
        {
            if (area.Select(AreaPath).Distinct(StringComparer.Ordinal).Count() > 1)
            {
                problems.Add($"area '{area.Key}' spans several route prefixes: {string.Join(", ", area.Select(f => f.Path).Order(StringComparer.Ordinal))}");
            }

            if (area.Select(f => f.AuthLevel).Distinct(StringComparer.Ordinal).Count() > 1)
            {
                problems.Add($"area '{area.Key}' mixes key levels: {string.Join(", ", area.Select(f => f.Name + "=" + f.AuthLevel).Order(StringComparer.Ordinal))}");
            }
        }

        return problems;
    }

    /// <summary>
    /// What the router matches a route by: literals (case-insensitive) and parameter slots, whatever the parameters are named
    /// (<c>tokens/{id}</c> and <c>tokens/{tokenId}</c> are the same route, served by whichever the router picks). Constraints
    /// are ignored: two routes that differ only by them are flagged too.
    /// </summary>
    internal static string RouteShape(string route) =>
        "/" + string.Join('/', RoutePatternFactory.Parse(route).PathSegments.Select(segment => string.Concat(segment.Parts.Select(part => part switch
        {
            RoutePatternLiteralPart literal => literal.Content.ToLowerInvariant(),
            RoutePatternParameterPart parameter => "{" + (parameter.IsCatchAll ? "*" : string.Empty) + (parameter.IsOptional ? "?" : string.Empty) + "}",
            RoutePatternSeparatorPart separator => separator.Content,
            _ => part.ToString(),
        }))));

    /// <summary>An area's root: the first segment of its routes (<c>verify/batch</c> is under <c>/verify</c>).</summary>
    private static string AreaPath(FunctionEntry function)
    {
        var route = function.Route!;
        var slash = route.IndexOf('/', StringComparison.Ordinal);
        return "/" + (slash < 0 ? route : route[..slash]);
    }

    [GeneratedRegex("%(?<name>[A-Za-z0-9_]+)%", RegexOptions.CultureInvariant)]
    private static partial Regex SettingReference();
}
