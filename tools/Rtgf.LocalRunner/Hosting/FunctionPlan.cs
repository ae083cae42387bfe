using Azure.Storage.Queues;
using Rtgf.FunctionsHost.Functions;
using Rtgf.LocalRunner.Triggers;
using Rtgf.Pipeline.Scheduling;

namespace Rtgf.LocalRunner.Hosting;

/// <summary>
/// What the runner does for each function the worker loaded, with app settings resolved. A function the host would not
/// run (missing schedule setting, bad queue name, unknown trigger) is reported and left out, as the host leaves it out.
/// </summary>
internal sealed class FunctionPlan
{
    private FunctionPlan(IReadOnlyList<TimerPlan> timers, IReadOnlyList<QueueTriggerPlan> queueTriggers)
    {
        Timers = timers;
        QueueTriggers = queueTriggers;
    }

    public IReadOnlyList<TimerPlan> Timers { get; }

    public IReadOnlyList<QueueTriggerPlan> QueueTriggers { get; }

    public static FunctionPlan Create(IEnumerable<HostedFunction> functions, StorageQueues queues, string routePrefix, RunnerEvents events)
    {
        var timers = new List<TimerPlan>();
        var triggers = new List<QueueTriggerPlan>();
        foreach (var function in functions.OrderBy(f => f.Name, StringComparer.Ordinal))
        {
            string detail;
            try
            {
                detail = function switch
                {
                    { IsTimer: true } => PlanTimer(function, queues.Settings, timers),
                    { IsQueue: true } => PlanQueue(function, queues, triggers),
                    { IsHttp: true } => PlanHttp(function, routePrefix),
                    _ => throw new RunnerException($"trigger type '{function.Trigger.Type}' is not supported by the local runner"),
                };
            }
            catch (RunnerException e)
            {
                events.Emit("function", ("name", function.Name), ("trigger", function.Trigger.Type), ("status", "disabled"), ("reason", e.Message));
                continue;
            }

            events.Emit("function", ("name", function.Name), ("trigger", function.Trigger.Type), ("status", "enabled"), ("detail", detail), ("outputs", function.Outputs.Select(o => o.Name).ToList()));
        }

        return new FunctionPlan(timers, triggers);
    }

    private static string PlanTimer(HostedFunction function, LocalSettings settings, List<TimerPlan> timers)
    {
        var raw = function.Trigger.Property("schedule") ?? throw new RunnerException("the timer has no schedule");
        var expression = settings.Resolve(raw) ?? throw new RunnerException($"the schedule {raw} names an app setting that is not set");
        try
        {
            // The app's parser (the watchtower's too), so the runner and the app read a schedule alike.
            timers.Add(new TimerPlan(function, TimerSchedule.Parse(expression, raw == expression ? null : raw)));
        }
        catch (FormatException e)
        {
            throw new RunnerException(e.Message);
        }

        return expression;
    }

    private static string PlanQueue(HostedFunction function, StorageQueues queues, List<QueueTriggerPlan> triggers)
    {
        var queue = queues.Queue(function.Trigger);
        var poison = queues.Queue(function.Trigger, QueueListener.PoisonQueueName(queue.Name));
        triggers.Add(new QueueTriggerPlan(function, queue, poison));
        return queue.Name;
    }

    private static string PlanHttp(HostedFunction function, string routePrefix)
    {
        var route = function.Trigger.Property("route") is { Length: > 0 } given ? given : function.Name;
        var methods = function.Trigger.Strings("methods");
        var level = function.Trigger.Property("authLevel") ?? "function";
        return $"/{(string.IsNullOrEmpty(routePrefix) ? string.Empty : routePrefix.Trim('/') + "/")}{route} [{(methods.Count == 0 ? "all" : string.Join(",", methods))}] {level.ToLowerInvariant()}";
    }

    public sealed record TimerPlan(HostedFunction Function, TimerSchedule Schedule);

    public sealed record QueueTriggerPlan(HostedFunction Function, QueueClient Queue, QueueClient PoisonQueue);
}
