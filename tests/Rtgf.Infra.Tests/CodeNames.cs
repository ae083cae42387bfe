using System.Reflection;
using Microsoft.Azure.Functions.Worker;
using Rtgf.Azure.Connections;
using Rtgf.Functions.Billing.QuickBooks;
using Rtgf.Pipeline.Operations;

namespace Rtgf.Infra.Tests;

/// <summary>
/// The storage names, schedules and functions the code declares, read by reflection so that a new table, container, queue,
/// timer or function without its infrastructure fails a test: name constants (<c>…Table</c>, <c>TableName</c>,
/// <c>…Container</c>, <c>ContainerName</c>, <c>Queue</c>, <c>…Queue</c>, and every constant of a <c>…Tables</c> or
/// <c>…Queues</c> class), and the triggers of the <c>[Function]</c> methods.
/// </summary>
internal static class CodeNames
{
    public static Assembly App { get; } = typeof(QuickBooksConnection).Assembly;

    private static readonly Assembly[] Scanned = [App, typeof(OperationsStorage).Assembly, typeof(AppIdentity).Assembly];

    public static IReadOnlySet<string> Containers() => Constants(f => f.Name.EndsWith("Container", StringComparison.Ordinal) || f.Name == "ContainerName");

    public static IReadOnlySet<string> Tables() => Constants(f =>
        f.Name.EndsWith("Table", StringComparison.Ordinal) || f.Name.EndsWith("TableName", StringComparison.Ordinal)
        || (f.DeclaringType!.Name.EndsWith("Tables", StringComparison.Ordinal)
            && !f.Name.EndsWith("Container", StringComparison.Ordinal) && !f.Name.EndsWith("Partition", StringComparison.Ordinal)));

    /// <summary>Named queues, the queues triggers read, and each triggered queue's poison queue (the host moves failures there).</summary>
    public static IReadOnlySet<string> Queues()
    {
        var names = new SortedSet<string>(
            Constants(f => f.Name == "Queue" || f.Name.EndsWith("Queue", StringComparison.Ordinal) || f.DeclaringType!.Name.EndsWith("Queues", StringComparison.Ordinal)),
            StringComparer.Ordinal);
        foreach (var trigger in Triggers<QueueTriggerAttribute>())
        {
            names.Add(trigger.Attribute.QueueName);
            if (!trigger.Attribute.QueueName.EndsWith("-poison", StringComparison.Ordinal))
            {
                names.Add(trigger.Attribute.QueueName + "-poison");
            }
        }

        return names;
    }

    /// <summary>The app settings the timer triggers read their schedules from (<c>%NAME%</c>).</summary>
    public static IReadOnlySet<string> ScheduleSettings() =>
        new SortedSet<string>(Triggers<TimerTriggerAttribute>().Select(t => t.Attribute.Schedule.Trim('%')), StringComparer.Ordinal);

    /// <summary>Timer- and queue-triggered functions (the second region disables them).</summary>
    public static IReadOnlySet<string> BackgroundFunctions() =>
        new SortedSet<string>(Triggers<TimerTriggerAttribute>().Select(t => t.Function).Concat(Triggers<QueueTriggerAttribute>().Select(t => t.Function)), StringComparer.Ordinal);

    public static IReadOnlySet<string> HttpRoutes() =>
        new SortedSet<string>(Triggers<HttpTriggerAttribute>().Select(t => t.Attribute.Route ?? t.Function), StringComparer.Ordinal);

    private static SortedSet<string> Constants(Func<FieldInfo, bool> select) =>
        new(
            Scanned.SelectMany(a => a.GetTypes())
                .SelectMany(t => t.GetFields(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.DeclaredOnly))
                .Where(f => f.IsLiteral && f.FieldType == typeof(string) && select(f))
                .Select(f => (string)f.GetRawConstantValue()!),
            StringComparer.Ordinal);

    private static IEnumerable<(string Function, T Attribute)> Triggers<T>()
        where T : Attribute =>
        App.GetTypes()
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly))
            .Select(m => (Function: m.GetCustomAttribute<FunctionAttribute>(), Method: m))
            .Where(m => m.Function is not null)
            .SelectMany(m => m.Method.GetParameters().Select(p => p.GetCustomAttribute<T>()).OfType<T>().Select(a => (m.Function!.Name, a)));
}
