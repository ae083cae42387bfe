using System.Collections;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Routing.Patterns;

namespace Rtgf.CustomHandler.Catalog;

/// <summary>
/// Every function of an app, validated against the Functions host's rules so a mistake fails at start-up
/// (and at build, when function.json is generated) rather than in Azure.
/// </summary>
public sealed partial class FunctionCatalog : IReadOnlyList<FunctionDefinition>
{
    private static readonly string[] HttpMethods = ["get", "post", "delete", "head", "patch", "put", "options", "trace"];
    private readonly List<FunctionDefinition> _functions;
    private readonly Dictionary<string, FunctionDefinition> _byName;

    /// <summary>Validates the definitions; throws <see cref="InvalidOperationException"/> listing every problem.</summary>
    public FunctionCatalog(IEnumerable<FunctionDefinition> functions)
    {
        ArgumentNullException.ThrowIfNull(functions);
        _functions = [.. functions.OrderBy(f => f.Name, StringComparer.Ordinal)];
        var problems = Validate(_functions);
        if (problems.Count > 0)
        {
            throw new InvalidOperationException("The function catalogue is invalid:" + Environment.NewLine + string.Join(Environment.NewLine, problems.Select(p => "  - " + p)));
        }

        _byName = _functions.ToDictionary(f => f.Name, StringComparer.OrdinalIgnoreCase);
    }

    public int Count => _functions.Count;

    public FunctionDefinition this[int index] => _functions[index];

    /// <summary>The function with this name (case-insensitive, as the host treats names).</summary>
    public FunctionDefinition this[string name] => _byName.TryGetValue(name, out var function)
        ? function
        : throw new KeyNotFoundException($"No function named '{name}' is in the catalogue.");

    public bool TryGet(string name, out FunctionDefinition? function) => _byName.TryGetValue(name, out function);

    /// <summary>Every app setting the catalogue reads through <c>%NAME%</c>.</summary>
    public IReadOnlyList<string> ReferencedSettings =>
        [.. _functions.SelectMany(f => f.ReferencedSettings).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];

    public IEnumerator<FunctionDefinition> GetEnumerator() => _functions.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private static List<string> Validate(List<FunctionDefinition> functions)
    {
        var problems = new List<string>();
        foreach (var group in functions.GroupBy(f => f.Name, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1))
        {
            problems.Add($"function name '{group.Key}' is declared {group.Count()} times");
        }

        var routes = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var function in functions)
        {
            var name = function.Name;
            if (!FunctionName().IsMatch(name))
            {
                problems.Add($"'{name}': a function name starts with a letter and holds up to 128 letters, digits, '-' and '_'");
            }

            ValidateTrigger(function, problems);
            ValidateOutputs(function, problems);
            if (function.Trigger is HttpTrigger http && !routes.TryAdd(http.Route, name))
            {
                problems.Add($"'{name}': route '{http.Route}' is already taken by '{routes[http.Route]}'");
            }
        }

        // The handler answers envelopes at POST /{name}; a forwarded route must not claim that path.
        foreach (var function in functions.Where(f => f.ReceivesEnvelopes))
        {
            foreach (var forwarded in functions.Where(f => f.IsForwardedHttp))
            {
                var prefix = ((HttpTrigger)forwarded.Trigger).PathPrefix;
                if (string.Equals(prefix.TrimStart('/').Split('/')[0], function.Name, StringComparison.OrdinalIgnoreCase))
                {
                    problems.Add($"'{function.Name}': its invocation path /{function.Name} is inside the route of '{forwarded.Name}'");
                }
            }
        }

        return problems;
    }

    private static void ValidateTrigger(FunctionDefinition function, List<string> problems)
    {
        var name = function.Name;
        switch (function.Trigger)
        {
            case TimerTrigger timer:
                if (!IsSettingReference(timer.Schedule) && timer.Schedule.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length is not (5 or 6))
                {
                    problems.Add($"'{name}': schedule '{timer.Schedule}' is neither an app setting reference (%NAME%) nor an NCRONTAB expression of 5 or 6 fields");
                }

                break;
            case IQueueBinding queue:
                ValidateQueueName(name, queue.QueueName, problems);
                break;
            case HttpTrigger http:
                ValidateRoute(name, http, problems);
                break;
            default:
                problems.Add($"'{name}': trigger {function.Trigger.GetType().Name} is not supported");
                break;
        }
    }

    private static void ValidateRoute(string name, HttpTrigger http, List<string> problems)
    {
        if (string.IsNullOrWhiteSpace(http.Route) || http.Route.StartsWith('/'))
        {
            problems.Add($"'{name}': an HTTP route is a template without a leading '/' (the route prefix is empty)");
            return;
        }

        // The host reserves these for its own APIs ("The specified route conflicts with one or more built in routes").
        if (http.Route.StartsWith("admin", StringComparison.OrdinalIgnoreCase) || http.Route.StartsWith("runtime", StringComparison.OrdinalIgnoreCase))
        {
            problems.Add($"'{name}': routes starting with 'admin' or 'runtime' are reserved by the Functions host");
        }

        try
        {
            RoutePatternFactory.Parse(http.Route);
        }
        catch (RoutePatternException e)
        {
            problems.Add($"'{name}': route '{http.Route}' is not a valid template: {e.Message}");
        }

        foreach (var method in http.Methods)
        {
            if (!HttpMethods.Contains(method, StringComparer.Ordinal))
            {
                problems.Add($"'{name}': HTTP method '{method}' must be one of {string.Join(", ", HttpMethods)} (lowercase)");
            }
        }
    }

    private static void ValidateOutputs(FunctionDefinition function, List<string> problems)
    {
        var name = function.Name;
        var outputNames = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { function.Trigger.BindingName };
        foreach (var output in function.Outputs)
        {
            if (!BindingName().IsMatch(output.Name))
            {
                problems.Add($"'{name}': output name '{output.Name}' must be an identifier");
            }

            if (!outputNames.Add(output.Name))
            {
                problems.Add($"'{name}': binding name '{output.Name}' is used twice");
            }

            switch (output)
            {
                case IQueueBinding queue:
                    ValidateQueueName(name, queue.QueueName, problems);
                    break;
                case HttpOutput when function.Trigger is not HttpTrigger:
                    problems.Add($"'{name}': only an HTTP-triggered function has an HTTP output");
                    break;
            }
        }

        if (function.Trigger is HttpTrigger && function.Outputs.Count(o => o is HttpOutput) != 1)
        {
            problems.Add($"'{name}': an HTTP-triggered function has exactly one HTTP output");
        }
    }

    private static void ValidateQueueName(string function, string queueName, List<string> problems)
    {
        // Local runs carry these queues on Storage queues, with "-deadletter" and "-poison" queues beside them.
        if (!IsSettingReference(queueName) && !QueueName().IsMatch(queueName))
        {
            problems.Add($"'{function}': queue '{queueName}' must be an app setting reference (%NAME%) or 3-52 lowercase letters, digits and single hyphens");
        }
    }

    private static bool IsSettingReference(string value) => value.Length > 2 && value[0] == '%' && value[^1] == '%' && value.IndexOf('%', 1) == value.Length - 1;

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9_-]{0,127}$", RegexOptions.CultureInvariant)]
    private static partial Regex FunctionName();

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$", RegexOptions.CultureInvariant)]
    private static partial Regex BindingName();

    [GeneratedRegex("^[a-z0-9](?!.*--)[a-z0-9-]{1,50}[a-z0-9]$", RegexOptions.CultureInvariant)]
    private static partial Regex QueueName();
}
