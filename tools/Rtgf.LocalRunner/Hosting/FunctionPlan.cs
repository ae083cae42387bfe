using Rtgf.Azure.Queues;
using Rtgf.CustomHandler.Metadata;
using Rtgf.LocalRunner.Invocation;
using Rtgf.Pipeline.Scheduling;

namespace Rtgf.LocalRunner.Hosting;

/// <summary>
/// What the runner will do for each function of a script root, with app settings resolved. A function the host
/// would not load (missing schedule setting, bad queue name, reserved route) is reported and left out, as the
/// host leaves it out.
/// </summary>
internal sealed class FunctionPlan
{
    private FunctionPlan(IReadOnlyList<TimerPlan> timers, IReadOnlyList<QueueTriggerPlan> queueTriggers, IReadOnlyList<string> queues)
    {
        Timers = timers;
        QueueTriggers = queueTriggers;
        Queues = queues;
    }

    public IReadOnlyList<TimerPlan> Timers { get; }

    public IReadOnlyList<QueueTriggerPlan> QueueTriggers { get; }

    /// <summary>Every queue the run reads or writes, dead-letter queues included.</summary>
    public IReadOnlyList<string> Queues { get; }

    public static FunctionPlan Create(ScriptRoot scriptRoot, LocalSettings settings, RunnerEvents events)
    {
        var timers = new List<TimerPlan>();
        var triggers = new List<QueueTriggerPlan>();
        var queues = new List<string>();
        foreach (var function in scriptRoot.Functions)
        {
            var trigger = function.Trigger;
            string? detail;
            try
            {
                detail = trigger.Type switch
                {
                    "timerTrigger" => PlanTimer(function, settings, timers),
                    "serviceBusTrigger" or "queueTrigger" => PlanQueue(function, settings, triggers, queues),
                    "httpTrigger" => PlanHttp(function, scriptRoot.Host),
                    _ => throw new RunnerException($"trigger type '{trigger.Type}' is not supported by the local runner"),
                };
            }
            catch (RunnerException e)
            {
                events.Emit("function", ("name", function.Name), ("trigger", trigger.Type), ("status", "disabled"), ("reason", e.Message));
                continue;
            }

            foreach (var output in function.Outputs.Where(o => o.Type is "serviceBus" or "queue"))
            {
                var queue = settings.Resolve(output.GetString("queueName") ?? string.Empty);
                if (queue is null || !IsQueueName(queue))
                {
                    events.Emit("warning", ("function", function.Name), ("message", $"output '{output.Name}' has no usable queue name ('{output.GetString("queueName")}'); invocations that write to it will fail"));
                    continue;
                }

                queues.Add(queue);
            }

            events.Emit("function", ("name", function.Name), ("trigger", trigger.Type), ("status", "enabled"), ("detail", detail), ("outputs", function.Outputs.Select(o => o.Name).ToList()));
        }

        return new FunctionPlan(timers, triggers, [.. queues.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)]);
    }

    private static string PlanTimer(FunctionMetadata function, LocalSettings settings, List<TimerPlan> timers)
    {
        var raw = function.Trigger.GetString("schedule") ?? throw new RunnerException("the timer has no schedule");
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

    private static string PlanQueue(FunctionMetadata function, LocalSettings settings, List<QueueTriggerPlan> triggers, List<string> queues)
    {
        var raw = function.Trigger.GetString("queueName") ?? throw new RunnerException("the trigger names no queue");
        var queue = settings.Resolve(raw) ?? throw new RunnerException($"the queue {raw} names an app setting that is not set");
        var isServiceBus = function.Trigger.Type == "serviceBusTrigger";
        var deadLetter = isServiceBus ? LocalQueues.DeadLetterQueue(queue) : LocalQueues.PoisonQueue(queue);
        if (!IsQueueName(queue) || !IsQueueName(deadLetter))
        {
            throw new RunnerException($"'{queue}' cannot be a local queue name (3-52 lowercase letters, digits and single hyphens)");
        }

        triggers.Add(new QueueTriggerPlan(function, isServiceBus, queue, deadLetter));
        queues.Add(queue);
        queues.Add(deadLetter);
        return queue;
    }

    private static string PlanHttp(FunctionMetadata function, HostJson host)
    {
        var route = function.Trigger.GetString("route") ?? function.Name;
        if (route.StartsWith("admin", StringComparison.OrdinalIgnoreCase) || route.StartsWith("runtime", StringComparison.OrdinalIgnoreCase))
        {
            throw new RunnerException($"the route '{route}' conflicts with the host's built-in routes");
        }

        var methods = function.Trigger.GetStrings("methods");
        var level = function.Trigger.GetString("authLevel") ?? "function";
        var forwarded = host.EnableForwardingHttpRequest && function.IsHttpInAndOut ? "forwarded" : "envelope";
        return $"/{(string.IsNullOrEmpty(host.RoutePrefix) ? string.Empty : host.RoutePrefix.Trim('/') + "/")}{route} [{(methods.Count == 0 ? "all" : string.Join(",", methods))}] {level} {forwarded}";
    }

    private static bool IsQueueName(string name)
    {
        try
        {
            QueueLimits.ValidateQueueName(name);
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    public sealed record TimerPlan(FunctionMetadata Function, TimerSchedule Schedule);

    public sealed record QueueTriggerPlan(FunctionMetadata Function, bool IsServiceBus, string Queue, string DeadLetterQueue);
}
