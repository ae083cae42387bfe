using System.Globalization;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace Rtgf.FunctionsHost.TestWorker;

/// <summary>The functions the local runner's tests drive (queues prefixed <c>runner-</c>; the app's storage connection, as the app names it).</summary>
public sealed partial class RunnerFunctions(ILogger<RunnerFunctions> logger)
{
    /// <summary>A timer on a %SETTING% schedule whose <c>$return</c> goes to a queue: what it saw, so tests can check the status.</summary>
    [Function("RunnerTick")]
    [QueueOutput("runner-ticks", Connection = "RtgfStorage")]
    public string Tick([TimerTrigger("%RUNNER_TICK_SCHEDULE%")] TimerInfo timer)
    {
        Ticked(logger, timer.IsPastDue);
        return string.Create(CultureInfo.InvariantCulture, $"past-due={timer.IsPastDue}");
    }

    /// <summary>A timer that runs when the host starts and keeps no schedule status.</summary>
    [Function("RunnerStartup")]
    public static void Startup([TimerTrigger("%RUNNER_STARTUP_SCHEDULE%", RunOnStartup = true, UseMonitor = false)] TimerInfo timer)
    {
    }

    /// <summary>A queue named by a setting in, an array out (one message per element), with the delivery count.</summary>
    [Function("RunnerRelay")]
    [QueueOutput("runner-out", Connection = "RtgfStorage")]
    public static string[] Relay([QueueTrigger("%RUNNER_IN_QUEUE%", Connection = "RtgfStorage")] string message, long dequeueCount) =>
        [message + "-a", string.Create(CultureInfo.InvariantCulture, $"{message}-b-{dequeueCount}")];

    /// <summary>Always fails, so its messages are retried and then moved to the poison queue.</summary>
    [Function("RunnerPoison")]
    public static void Poison([QueueTrigger("runner-poison", Connection = "RtgfStorage")] string message, long dequeueCount) =>
        throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture, $"refusing '{message}' (delivery {dequeueCount})"));

    [LoggerMessage(Level = LogLevel.Information, Message = "runner tick (past due: {PastDue})")]
    private static partial void Ticked(ILogger logger, bool pastDue);
}
