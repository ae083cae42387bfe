using Rtgf.FunctionsHost.Functions;
using Rtgf.FunctionsHost.Triggers;
using Rtgf.LocalRunner.Invocation;
using Rtgf.Pipeline.Scheduling;

namespace Rtgf.LocalRunner.Triggers;

/// <summary>
/// Fires a timer function on its schedule, one run at a time, as the host's timer listener does: a run missed
/// while stopped fires once at start with IsPastDue, <c>runOnStartup</c> fires at start, and the status
/// (last, next) is kept in storage when <c>useMonitor</c> is on.
/// </summary>
internal sealed class TimerScheduler(
    HostedFunction function,
    TimerSchedule schedule,
    TimerStatusStore statusStore,
    FunctionRunner invoker,
    RunnerEvents events)
{
    private readonly TimeProvider _time = invoker.TimeProvider;
    private readonly bool _useMonitor = !bool.TryParse(function.Trigger.Property("useMonitor"), out var monitor) || monitor;
    private readonly bool _runOnStartup = function.Trigger.Flag("runOnStartup");

    /// <summary>The longest single wait: Task.Delay takes at most ~49.7 days, so a yearly schedule waits in pieces (the host's 24 days).</summary>
    internal static readonly TimeSpan MaxWait = TimeSpan.FromDays(24);

    public async Task RunAsync(CancellationToken stop)
    {
        try
        {
            var last = _time.GetUtcNow();
            var status = _useMonitor ? await ReadStatusAsync(stop).ConfigureAwait(false) : null;
            if (status is not null && status.Next < _time.GetUtcNow())
            {
                last = await FireAsync(isPastDue: true).ConfigureAwait(false);
            }
            else if (_runOnStartup)
            {
                last = await FireAsync(isPastDue: false).ConfigureAwait(false);
            }

            while (!stop.IsCancellationRequested)
            {
                // Never before the occurrence already run; occurrences missed during a long run are skipped, as in the host.
                var now = _time.GetUtcNow();
                var due = schedule.Next(now > last ? now : last);
                events.Emit("scheduled", ("function", function.Name), ("next", due.ToString("O", System.Globalization.CultureInfo.InvariantCulture)));
                for (var remaining = due - now; remaining > TimeSpan.Zero; remaining = due - _time.GetUtcNow())
                {
                    await Task.Delay(remaining < MaxWait ? remaining : MaxWait, _time, stop).ConfigureAwait(false);
                }

                last = await FireAsync(isPastDue: false).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
    }

    /// <summary>Runs the function now, outside its schedule (the admin API's <c>run</c>).</summary>
    public Task<InvocationOutcome> RunNowAsync(CancellationToken cancellationToken) =>
        InvokeAsync(StatusAt(_time.GetUtcNow()), isPastDue: false, cancellationToken, ("manual", true));

    // Storage unreachable at start is no reason to stop the timer: it runs as if there were no status.
    private async Task<TimerStatus?> ReadStatusAsync(CancellationToken stop)
    {
        try
        {
            return await statusStore.ReadAsync(function.Name, stop).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException || !stop.IsCancellationRequested)
        {
            events.Emit("warning", ("function", function.Name), ("message", "could not read the schedule status: " + e.Message.Split('\n')[0]));
            return null;
        }
    }

    private async Task<DateTimeOffset> FireAsync(bool isPastDue)
    {
        var status = StatusAt(_time.GetUtcNow());

        // A run that has started finishes; stopping only prevents the next one. Whatever it throws, the timer re-arms.
        try
        {
            await InvokeAsync(status, isPastDue, CancellationToken.None, ("pastDue", isPastDue), ("schedule", schedule.Expression)).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            events.Emit("warning", ("function", function.Name), ("message", "the timer run failed in the runner: " + e.Message.Split('\n')[0]));
        }

        if (_useMonitor)
        {
            try
            {
                await statusStore.WriteAsync(function.Name, status with { LastUpdated = _time.GetUtcNow() }, CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception e)
            {
                events.Emit("warning", ("function", function.Name), ("message", "could not save the schedule status: " + e.Message.Split('\n')[0]));
            }
        }

        return status.Last;
    }

    private TimerStatus StatusAt(DateTimeOffset fired) => new(fired, schedule.Next(fired), fired);

    private Task<InvocationOutcome> InvokeAsync(TimerStatus status, bool isPastDue, CancellationToken cancellationToken, params (string Name, object? Value)[] details) =>
        invoker.InvokeAsync(
            function,
            "timer",
            id => TimerInvocation.Create(
                function,
                id,
                _useMonitor ? new TimerFiring(status.Last, status.Next, status.LastUpdated, isPastDue) : new TimerFiring(null, status.Next, null, isPastDue, Monitored: false)),
            cancellationToken,
            details);
}
